package io.decoupled.shipping.shipment;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * The integration events shipping-service publishes on {@code shipment-events.fifo}: the wire contract in
 * docs/contracts.md. Message group = orderId, deduplication id = eventId. {@code eventType} is derived, not a
 * component, so it is marked for serialization explicitly.
 */
sealed interface ShipmentEvent {
    UUID eventId();

    String eventType();

    UUID orderId();

    record ShipmentDispatched(
            UUID eventId, UUID orderId, UUID shipmentId, String carrier, String trackingNumber, Instant occurredAt)
            implements ShipmentEvent {
        @JsonProperty
        public String eventType() {
            return "ShipmentDispatched";
        }
    }

    /**
     * The answer to an OrderCancelled when nothing had been dispatched: no shipment exists and none will be made.
     * {@code cancellationId} is the event id of the OrderCancelled it answers.
     */
    record ShipmentCancelled(UUID eventId, UUID orderId, UUID cancellationId, String reason, Instant occurredAt)
            implements ShipmentEvent {
        @JsonProperty
        public String eventType() {
            return "ShipmentCancelled";
        }
    }

    /**
     * The answer to an OrderCancelled that came too late: the parcel has left. {@code shipmentStatus} is the
     * shipment's status when the request was decided ({@code DISPATCHED} or {@code DELIVERED}).
     */
    record CancellationRefused(
            UUID eventId,
            UUID orderId,
            UUID cancellationId,
            UUID shipmentId,
            String shipmentStatus,
            String carrier,
            String trackingNumber,
            String reason,
            Instant occurredAt)
            implements ShipmentEvent {
        @JsonProperty
        public String eventType() {
            return "CancellationRefused";
        }
    }

    record ShipmentDelivered(
            UUID eventId, UUID orderId, UUID shipmentId, String carrier, String trackingNumber, Instant occurredAt)
            implements ShipmentEvent {
        @JsonProperty
        public String eventType() {
            return "ShipmentDelivered";
        }
    }
}
