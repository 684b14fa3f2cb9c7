package io.decoupled.topology;

import java.util.Objects;
import java.util.Optional;

/**
 * A queue subscribed to a topic. With raw delivery the queue receives the published body and message
 * attributes as they were sent; without it, each message is wrapped in the SNS JSON envelope.
 */
public record SubscriptionSpec(String topic, String queue, boolean rawMessageDelivery, Optional<FilterPolicy> filterPolicy) {
    public SubscriptionSpec {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(filterPolicy, "filterPolicy");
        if (topic.endsWith(".fifo") && !queue.endsWith(".fifo")) {
            throw new IllegalArgumentException("a FIFO topic can only fan out to FIFO queues: " + topic + " -> " + queue);
        }
    }
}
