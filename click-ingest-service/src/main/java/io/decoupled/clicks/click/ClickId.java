package io.decoupled.clicks.click;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** Assigned on acceptance; consumers deduplicate on it, so a click written twice is counted once. */
public record ClickId(@JsonValue UUID value) {
    public ClickId {
        Objects.requireNonNull(value, "value");
    }

    static ClickId random() {
        return new ClickId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
