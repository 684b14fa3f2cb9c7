package io.decoupled.topology;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A queue subscribed to a topic. With raw delivery the queue receives the published body and message
 * attributes as they were sent; without it, each message is wrapped in the SNS JSON envelope.
 *
 * <p>{@code deadLetterQueue} is the subscription's own redrive policy: where SNS puts a message it could not
 * deliver to the queue (queue deleted, its policy or key denies SNS), instead of dropping it after its retries.
 * It is not the queue's DLQ, which holds messages the consumer failed to process.
 */
public record SubscriptionSpec(
        String topic,
        String queue,
        boolean rawMessageDelivery,
        Optional<FilterPolicy> filterPolicy,
        Optional<String> deadLetterQueue) {
    public SubscriptionSpec {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(filterPolicy, "filterPolicy");
        Objects.requireNonNull(deadLetterQueue, "deadLetterQueue");
        if (topic.endsWith(".fifo") && !queue.endsWith(".fifo")) {
            throw new IllegalArgumentException(
                    "a FIFO topic can only fan out to FIFO queues: " + topic + " -> " + queue);
        }
        deadLetterQueue.ifPresent(dlq -> {
            // AWS: the subscription DLQ of a FIFO topic must be a FIFO queue, of a standard topic a standard one.
            if (dlq.endsWith(".fifo") != topic.endsWith(".fifo")) {
                throw new IllegalArgumentException(
                        "a subscription's DLQ must be of its topic's kind: " + topic + " -> " + dlq);
            }
        });
    }

    /** A subscription without a dead-letter queue of its own. */
    public SubscriptionSpec(
            String topic, String queue, boolean rawMessageDelivery, Optional<FilterPolicy> filterPolicy) {
        this(topic, queue, rawMessageDelivery, filterPolicy, Optional.empty());
    }

    /** The same subscription with SNS's undeliverable messages going to {@code deadLetterQueue}. */
    public SubscriptionSpec withDeadLetterQueue(String deadLetterQueue) {
        return new SubscriptionSpec(topic, queue, rawMessageDelivery, filterPolicy, Optional.of(deadLetterQueue));
    }

    /** The SNS {@code RedrivePolicy} subscription attribute value for the DLQ's ARN. */
    public static String redrivePolicyJson(String deadLetterQueueArn) {
        return Json.write(Map.of("deadLetterTargetArn", deadLetterQueueArn));
    }
}
