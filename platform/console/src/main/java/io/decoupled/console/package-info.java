/**
 * The demo console: the live dashboard, the load generator, the embedded one-command launcher and the
 * compose provisioner. It observes the system from outside, as an operator would; no service depends on it.
 */
package io.decoupled.console;
