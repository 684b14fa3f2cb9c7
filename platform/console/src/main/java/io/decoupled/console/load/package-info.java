/**
 * The load generator: open-loop orders and clicks at a configurable rate, bursts, and a share of poison
 * messages, with its progress on the dashboard and in the console log.
 */
package io.decoupled.console.load;
