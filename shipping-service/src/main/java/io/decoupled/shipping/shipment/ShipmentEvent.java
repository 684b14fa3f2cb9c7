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

    record ShipmentDispatched(UUID eventId, UUID orderId, UUID shipmentId, String carrier, String trackingNumber,
                              Instant occurredAt) implements ShipmentEvent {
        @JsonProperty
        public String eventType() {
            return "ShipmentDispatched";
        }
    }

    record ShipmentDelivered(UUID eventId, UUID orderId, UUID shipmentId, String carrier, String trackingNumber,
                             Instant occurredAt) implements ShipmentEvent {
        @JsonProperty
        public String eventType() {
            return "ShipmentDelivered";
        }
    }
}
