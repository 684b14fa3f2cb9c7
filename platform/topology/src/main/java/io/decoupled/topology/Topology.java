package io.decoupled.topology;

import static io.decoupled.topology.FilterPolicy.anyOf;
import static io.decoupled.topology.FilterPolicy.numeric;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * The whole messaging topology. {@link #reference()} is the one definition that the local provisioner, the
 * tests and the CDK app read, so that the demo and AWS cannot drift apart.
 */
public record Topology(
        List<TopicSpec> topics,
        List<QueueSpec> queues,
        List<SubscriptionSpec> subscriptions,
        List<StreamSpec> streams) {

    public static final String ORDER_EVENTS = "order-events";
    public static final String SHIPPING_ORDERS = "shipping-orders";
    public static final String SHIPPING_ORDERS_DLQ = "shipping-orders-dlq";
    public static final String ANALYTICS_ORDERS = "analytics-orders";
    public static final String ANALYTICS_ORDERS_DLQ = "analytics-orders-dlq";
    public static final String ORDER_REVIEW = "order-review";
    public static final String ORDER_REVIEW_DLQ = "order-review-dlq";

    public static final String SHIPMENT_EVENTS = "shipment-events.fifo";
    public static final String SHIPMENT_UPDATES = "shipment-updates.fifo";
    public static final String SHIPMENT_UPDATES_DLQ = "shipment-updates-dlq.fifo";
    public static final String ANALYTICS_SHIPMENTS = "analytics-shipments.fifo";
    public static final String ANALYTICS_SHIPMENTS_DLQ = "analytics-shipments-dlq.fifo";

    // Subscription dead-letter queues: messages SNS could not deliver to the subscribed queue at all.
    public static final String SHIPPING_ORDERS_SNS_DLQ = "shipping-orders-sns-dlq";
    public static final String ANALYTICS_ORDERS_SNS_DLQ = "analytics-orders-sns-dlq";
    public static final String ORDER_REVIEW_SNS_DLQ = "order-review-sns-dlq";
    public static final String SHIPMENT_UPDATES_SNS_DLQ = "shipment-updates-sns-dlq.fifo";
    public static final String ANALYTICS_SHIPMENTS_SNS_DLQ = "analytics-shipments-sns-dlq.fifo";

    // A delay queue: shipping-service schedules each shipment's delivery confirmation on it at dispatch.
    public static final String SHIPMENT_DELIVERIES = "shipment-deliveries";
    public static final String SHIPMENT_DELIVERIES_DLQ = "shipment-deliveries-dlq";
    /** The delivery queue's own delay, used when a sender sets none (shipping-service sets its own per message). */
    public static final Duration DELIVERY_CONFIRMATION_DELAY = Duration.ofSeconds(30);

    public static final String CLICKSTREAM = "clickstream";

    /**
     * The bucket of offloaded payloads (claim check past 256 KiB) on a local endpoint, where the provisioning creates
     * it. In AWS the CDK app names the bucket and hands the name to order-service (the only writer); readers take the
     * bucket from each pointer.
     */
    public static final String LOCAL_PAYLOAD_BUCKET = "order-event-payloads";

    /** Receives before a message is declared poison and moved to its DLQ. */
    public static final int MAX_RECEIVE_COUNT = 5;

    public Topology {
        topics = List.copyOf(topics);
        queues = List.copyOf(queues);
        subscriptions = List.copyOf(subscriptions);
        streams = List.copyOf(streams);
        validate(topics, queues, subscriptions);
    }

    public static Topology reference() {
        var topics = List.of(new TopicSpec(ORDER_EVENTS), new TopicSpec(SHIPMENT_EVENTS));
        var queues = List.of(
                QueueSpec.deadLetter(SHIPPING_ORDERS_DLQ),
                QueueSpec.worker(SHIPPING_ORDERS, new Redrive(SHIPPING_ORDERS_DLQ, MAX_RECEIVE_COUNT)),
                QueueSpec.deadLetter(ANALYTICS_ORDERS_DLQ),
                QueueSpec.worker(ANALYTICS_ORDERS, new Redrive(ANALYTICS_ORDERS_DLQ, MAX_RECEIVE_COUNT)),
                QueueSpec.deadLetter(ORDER_REVIEW_DLQ),
                QueueSpec.worker(ORDER_REVIEW, new Redrive(ORDER_REVIEW_DLQ, MAX_RECEIVE_COUNT)),
                QueueSpec.deadLetter(SHIPMENT_UPDATES_DLQ),
                QueueSpec.worker(SHIPMENT_UPDATES, new Redrive(SHIPMENT_UPDATES_DLQ, MAX_RECEIVE_COUNT)),
                QueueSpec.deadLetter(ANALYTICS_SHIPMENTS_DLQ),
                QueueSpec.worker(ANALYTICS_SHIPMENTS, new Redrive(ANALYTICS_SHIPMENTS_DLQ, MAX_RECEIVE_COUNT)),
                QueueSpec.deadLetter(SHIPPING_ORDERS_SNS_DLQ),
                QueueSpec.deadLetter(ANALYTICS_ORDERS_SNS_DLQ),
                QueueSpec.deadLetter(ORDER_REVIEW_SNS_DLQ),
                QueueSpec.deadLetter(SHIPMENT_UPDATES_SNS_DLQ),
                QueueSpec.deadLetter(ANALYTICS_SHIPMENTS_SNS_DLQ),
                QueueSpec.deadLetter(SHIPMENT_DELIVERIES_DLQ),
                // Not subscribed to any topic: only shipping-service sends to it, to itself, later.
                QueueSpec.delayed(
                        SHIPMENT_DELIVERIES,
                        new Redrive(SHIPMENT_DELIVERIES_DLQ, MAX_RECEIVE_COUNT),
                        DELIVERY_CONFIRMATION_DELAY));
        // Every subscription has a DLQ of its own (AWS's advice for fan-out): a message SNS cannot deliver is kept.
        var subscriptions = List.of(
                // Physical orders reach shipping when placed and when cancelled (the cancellation saga's request):
                // an attribute-scope AND of two keys.
                new SubscriptionSpec(
                                ORDER_EVENTS,
                                SHIPPING_ORDERS,
                                true,
                                Optional.of(FilterPolicy.onAttributes(Map.of(
                                        OrderEventAttributes.EVENT_TYPE,
                                                anyOf(
                                                        OrderEventAttributes.ORDER_PLACED,
                                                        OrderEventAttributes.ORDER_CANCELLED),
                                        OrderEventAttributes.FULFILLMENT, anyOf(OrderEventAttributes.SHIP)))))
                        .withDeadLetterQueue(SHIPPING_ORDERS_SNS_DLQ),
                // The unfiltered second subscriber; it keeps the SNS envelope to show that format too.
                new SubscriptionSpec(ORDER_EVENTS, ANALYTICS_ORDERS, false, Optional.empty())
                        .withDeadLetterQueue(ANALYTICS_ORDERS_SNS_DLQ),
                // High-value orders, matched on the Number attribute total, not on the body: an event past 256 KiB is
                // published as an S3 pointer (claim check, docs/large-payloads.md), and a body-scope policy would see
                // only the pointer, which has no total, so a large high-value order would never reach review.
                new SubscriptionSpec(
                                ORDER_EVENTS,
                                ORDER_REVIEW,
                                true,
                                Optional.of(FilterPolicy.onAttributes(Map.of(
                                        OrderEventAttributes.TOTAL,
                                        numeric(">=", OrderEventAttributes.REVIEW_THRESHOLD)))))
                        .withDeadLetterQueue(ORDER_REVIEW_SNS_DLQ),
                new SubscriptionSpec(SHIPMENT_EVENTS, SHIPMENT_UPDATES, true, Optional.empty())
                        .withDeadLetterQueue(SHIPMENT_UPDATES_SNS_DLQ),
                new SubscriptionSpec(SHIPMENT_EVENTS, ANALYTICS_SHIPMENTS, true, Optional.empty())
                        .withDeadLetterQueue(ANALYTICS_SHIPMENTS_SNS_DLQ));
        var streams = List.of(new StreamSpec(CLICKSTREAM, 2, Duration.ofHours(24)));
        return new Topology(topics, queues, subscriptions, streams);
    }

    public QueueSpec queue(String name) {
        return queues.stream()
                .filter(q -> q.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no queue " + name + " in the topology"));
    }

    public TopicSpec topic(String name) {
        return topics.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no topic " + name + " in the topology"));
    }

    /** The topics allowed to send to a queue: those subscribed to it and those whose subscription DLQ it is. */
    public List<String> topicsSendingTo(String queue) {
        return subscriptions.stream()
                .filter(s -> s.queue().equals(queue)
                        || s.deadLetterQueue().map(queue::equals).orElse(false))
                .map(SubscriptionSpec::topic)
                .distinct()
                .toList();
    }

    public List<SubscriptionSpec> subscriptionsOf(String topic) {
        return subscriptions.stream().filter(s -> s.topic().equals(topic)).toList();
    }

    /** Queues in the order they can be created: every dead-letter queue before the queues that use it. */
    public List<QueueSpec> queuesInCreationOrder() {
        var ordered = new ArrayList<QueueSpec>();
        queues.stream().filter(q -> q.redrive().isEmpty()).forEach(ordered::add);
        queues.stream().filter(q -> q.redrive().isPresent()).forEach(ordered::add);
        return ordered;
    }

    /** A copy with one queue's delay changed (tests, and what the CDK app must follow without a code change). */
    public Topology withDeliveryDelay(String queue, Duration delay) {
        queue(queue);
        return new Topology(
                topics,
                queues.stream()
                        .map(q -> q.name().equals(queue) ? q.withDeliveryDelay(delay) : q)
                        .toList(),
                subscriptions,
                streams);
    }

    /** A copy with one queue's visibility timeout changed, for tests that need seconds rather than minutes. */
    public Topology withVisibilityTimeout(String queue, Duration timeout) {
        queue(queue);
        return new Topology(
                topics,
                queues.stream()
                        .map(q -> q.name().equals(queue) ? q.withVisibilityTimeout(timeout) : q)
                        .toList(),
                subscriptions,
                streams);
    }

    private static void validate(List<TopicSpec> topics, List<QueueSpec> queues, List<SubscriptionSpec> subscriptions) {
        Set<String> queueNames = new HashSet<>();
        for (var q : queues) {
            if (!queueNames.add(q.name())) {
                throw new IllegalArgumentException("queue defined twice: " + q.name());
            }
        }
        for (var q : queues) {
            q.redrive().ifPresent(r -> {
                if (!queueNames.contains(r.deadLetterQueue())) {
                    throw new IllegalArgumentException(
                            q.name() + " redrives to an undefined queue " + r.deadLetterQueue());
                }
            });
        }
        var topicNames = topics.stream().map(TopicSpec::name).toList();
        for (var s : subscriptions) {
            if (!topicNames.contains(s.topic())
                    || !queueNames.contains(s.queue())
                    || s.deadLetterQueue().map(dlq -> !queueNames.contains(dlq)).orElse(false)) {
                throw new IllegalArgumentException("subscription refers to an undefined topic or queue: " + s);
            }
        }
    }
}
