package io.decoupled.clicks.click;

import com.fasterxml.jackson.annotation.JsonValue;
import io.decoupled.websecurity.CanonicalUuid;
import java.util.Objects;
import java.util.UUID;

/**
 * Sent by the client or assigned on acceptance; consumers deduplicate on it, so a click written twice (a producer
 * retry, or a client resending with its own id) is counted once.
 */
public record ClickId(@JsonValue UUID value) {
    /** A UUID in its canonical text form only: {@link UUID#fromString} would also take "1-1-1-1-1". */
    static final String CANONICAL = CanonicalUuid.REGEX;

    public ClickId {
        Objects.requireNonNull(value, "value");
    }

    static ClickId random() {
        return new ClickId(UUID.randomUUID());
    }

    /** The client's id (already checked against {@link #CANONICAL}), or a new one when it sent none. */
    static ClickId sentOrRandom(String sent) {
        return sent == null ? random() : new ClickId(UUID.fromString(sent));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
