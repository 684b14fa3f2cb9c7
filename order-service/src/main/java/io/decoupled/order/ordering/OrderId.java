package io.decoupled.order.ordering;

import com.fasterxml.jackson.annotation.JsonValue;
import io.decoupled.websecurity.CanonicalUuid;
import java.util.Objects;
import java.util.UUID;

/** The identity of an order; a UUID on the wire and in the database. */
public record OrderId(@JsonValue UUID value) {
    public OrderId {
        Objects.requireNonNull(value, "value");
    }

    public static OrderId newId() {
        return new OrderId(UUID.randomUUID());
    }

    /**
     * Used by Spring's conversion for path variables; a malformed id becomes a 400, not a 500. The canonical form
     * only: {@code 1-1-1-1-1} is not another name of an order.
     */
    public static OrderId of(String value) {
        return new OrderId(CanonicalUuid.parse(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
