/**
 * The carrier integration: booking a pickup for a shipment. Simulated here, with configurable latency and
 * failure rate, so the consumer's heartbeat and retries have something slow and flaky to work against.
 */
package io.decoupled.shipping.carrier;
