/**
 * The transactional outbox: {@link io.decoupled.order.outbox.Outbox} appends events inside the caller's transaction;
 * the relay publishes them to SNS with PublishBatch, retry with jitter and a circuit breaker, and marks them published.
 */
package io.decoupled.order.outbox;
