package io.decoupled.shipping.shipment;

import java.util.Objects;
import java.util.UUID;

record OrderId(UUID value) {
    OrderId {
        Objects.requireNonNull(value, "OrderId");
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
