/**
 * Placing, cancelling and reading orders over REST, with Idempotency-Key handling; owns the order-events wire
 * format and hands each event to the outbox in the order's own transaction. Advances status on shipment progress
 * and runs the cancellation saga (CancellationSaga, docs/saga.md).
 */
package io.decoupled.order.ordering;
