package io.decoupled.topology;

import java.util.Map;
import java.util.Objects;

/** Where a queue sends a message after it has been received {@code maxReceiveCount} times without a delete. */
public record Redrive(String deadLetterQueue, int maxReceiveCount) {
    public Redrive {
        Objects.requireNonNull(deadLetterQueue, "deadLetterQueue");
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new IllegalArgumentException("maxReceiveCount must be 1..1000, was " + maxReceiveCount);
        }
    }

    /** The SQS {@code RedrivePolicy} attribute value. */
    public String toJson(String deadLetterQueueArn) {
        return Json.write(Map.of("deadLetterTargetArn", deadLetterQueueArn, "maxReceiveCount", maxReceiveCount));
    }
}
