/**
 * The CDK app: its entry point, the deployment settings read from CDK context, and the names of the four
 * services that every stack refers to. Each stack lives in a package of its own.
 */
package io.decoupled.infra;
