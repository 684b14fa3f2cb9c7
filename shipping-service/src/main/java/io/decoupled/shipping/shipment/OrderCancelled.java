package io.decoupled.shipping.shipment;

import java.time.Instant;

/**
 * The fields of order-service's {@code OrderCancelled} integration event that shipping needs (docs/contracts.md):
 * for a SHIP order it is the cancellation saga's request, which shipping answers on shipment-events.fifo.
 */
record OrderCancelled(EventId eventId, OrderId orderId, Instant occurredAt) {}
