package io.decoupled.order.shipment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * The fields of a {@code shipment-events.fifo} message this service needs. The format is shipping-service's
 * (docs/contracts.md); unknown fields are ignored so that it can add fields without breaking this consumer.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ShipmentEvent(
        UUID eventId,
        String eventType,
        UUID orderId,
        String shipmentId,
        String carrier,
        String trackingNumber,
        Instant occurredAt,
        UUID cancellationId,
        String shipmentStatus,
        String reason) {

    static final String DISPATCHED = "ShipmentDispatched";
    static final String DELIVERED = "ShipmentDelivered";
    /** The cancellation saga's answers (docs/saga.md); {@code cancellationId} names the OrderCancelled they answer. */
    static final String CANCELLED = "ShipmentCancelled";

    static final String CANCELLATION_REFUSED = "CancellationRefused";
}
