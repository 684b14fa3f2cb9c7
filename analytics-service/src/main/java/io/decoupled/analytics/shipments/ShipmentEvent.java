package io.decoupled.analytics.shipments;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** The fields of a shipment-events.fifo message (docs/contracts.md) that analytics reads; owned by shipping-service. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ShipmentEvent(UUID eventId, String eventType, String orderId, String shipmentId, Instant occurredAt) {
    static final String DISPATCHED = "ShipmentDispatched";
    static final String DELIVERED = "ShipmentDelivered";

    /** Dispatch and delivery: the events delivery times are made of. */
    boolean milestone() {
        return DISPATCHED.equals(eventType) || DELIVERED.equals(eventType);
    }

    ShipmentEvent requireComplete() {
        if (eventId == null || eventType == null || orderId == null || shipmentId == null || occurredAt == null) {
            throw new IllegalArgumentException(
                    "shipment event lacks eventId, eventType, orderId, shipmentId or occurredAt: " + this);
        }
        return this;
    }
}
