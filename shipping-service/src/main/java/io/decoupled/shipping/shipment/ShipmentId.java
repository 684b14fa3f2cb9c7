package io.decoupled.shipping.shipment;

import java.util.Objects;
import java.util.UUID;

record ShipmentId(UUID value) {
    ShipmentId {
        Objects.requireNonNull(value, "ShipmentId");
    }

    static ShipmentId random() {
        return new ShipmentId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
