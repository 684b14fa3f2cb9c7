package io.decoupled.topology;

import java.util.Objects;

/**
 * One SNS topic. A name ending in {@code .fifo} makes a FIFO topic; its publishers set a message group id
 * and a deduplication id themselves (content-based deduplication is off on purpose: two distinct events
 * may have equal bodies).
 */
public record TopicSpec(String name) {
    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_-]{1,251}(\\.fifo)?")) {
            throw new IllegalArgumentException("invalid topic name: " + name);
        }
    }

    public boolean fifo() {
        return name.endsWith(".fifo");
    }
}
