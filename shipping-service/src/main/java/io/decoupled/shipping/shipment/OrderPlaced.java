package io.decoupled.shipping.shipment;

import java.time.Instant;

/**
 * The fields of order-service's {@code OrderPlaced} integration event that shipping needs (docs/contracts.md).
 * Unknown fields are ignored, so order-service may add fields without breaking this consumer.
 */
record OrderPlaced(
        EventId eventId, OrderId orderId, String customerId, String fulfillment, String country, Instant occurredAt) {}
