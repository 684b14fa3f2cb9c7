package io.decoupled.clicks.click;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** The web session: the partition key, so that every click of a session lands on one shard, in order. */
public record SessionId(@JsonValue String value) {
    public SessionId {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return value;
    }
}
