/**
 * The SDK clients the console reads AWS with, configured only by the SDK's standard settings.
 * No endpoint, region or credential appears in code.
 */
package io.decoupled.console.aws;
