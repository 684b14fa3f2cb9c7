package io.decoupled.shipping.shipment;

import java.util.Objects;
import java.util.UUID;

record EventId(UUID value) {
    EventId {
        Objects.requireNonNull(value, "EventId");
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
