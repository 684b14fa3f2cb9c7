package io.decoupled.analytics.shipments;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** The fields of a shipment-events.fifo message (docs/contracts.md) that analytics reads; owned by shipping-service. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ShipmentEvent(UUID eventId, String eventType, String orderId, String shipmentId, Instant occurredAt) {
    static final String DISPATCHED = "ShipmentDispatched";
    static final String DELIVERED = "ShipmentDelivered";

    ShipmentEvent requireComplete() {
        if (eventId == null || eventType == null || orderId == null || shipmentId == null || occurredAt == null) {
            throw new IllegalArgumentException("shipment event lacks eventId, eventType, orderId, shipmentId or occurredAt: " + this);
        }
        return this;
    }
}
