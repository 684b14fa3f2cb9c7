package io.decoupled.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopologyTest {
    private final Topology topology = Topology.reference();

    @Test
    void everyWorkQueueHasADeadLetterQueueOfTheSameKind() {
        var workQueues = topology.queues().stream()
                .filter(q -> !q.name().contains("dlq"))
                .toList();
        assertThat(workQueues).isNotEmpty().allSatisfy(q -> {
            var redrive = q.redrive().orElseThrow();
            assertThat(redrive.maxReceiveCount()).isEqualTo(Topology.MAX_RECEIVE_COUNT);
            assertThat(topology.queue(redrive.deadLetterQueue()).fifo()).isEqualTo(q.fifo());
        });
    }

    @Test
    void workQueuesLongPoll() {
        assertThat(topology.queues())
                .allSatisfy(q -> assertThat(q.receiveWaitTime()).isEqualTo(Duration.ofSeconds(20)));
    }

    @Test
    void deadLetterQueuesAreCreatedBeforeTheQueuesThatRedriveToThem() {
        var order =
                topology.queuesInCreationOrder().stream().map(QueueSpec::name).toList();
        topology.queues()
                .forEach(q -> q.redrive()
                        .ifPresent(r ->
                                assertThat(order.indexOf(r.deadLetterQueue())).isLessThan(order.indexOf(q.name()))));
    }

    @Test
    void shippingReceivesPlacedAndCancelledPhysicalOrdersByAnAttributeFilter() {
        var subscription = topology.subscriptionsOf(Topology.ORDER_EVENTS).stream()
                .filter(s -> s.queue().equals(Topology.SHIPPING_ORDERS))
                .findFirst()
                .orElseThrow();
        var policy = subscription.filterPolicy().orElseThrow();
        assertThat(subscription.rawMessageDelivery()).isTrue();
        assertThat(policy.scope()).isEqualTo(FilterPolicy.Scope.MESSAGE_ATTRIBUTES);
        // OrderCancelled is the cancellation saga's request to shipping (docs/saga.md); DIGITAL orders never reach it.
        assertThat(policy.toJson())
                .isEqualTo("{\"eventType\":[\"OrderPlaced\",\"OrderCancelled\"],\"fulfillment\":[\"SHIP\"]}");
    }

    @Test
    void reviewMatchesTheTotalAttributeNumericallySoAnOffloadedEventStillRoutes() {
        var policy = topology.subscriptionsOf(Topology.ORDER_EVENTS).stream()
                .filter(s -> s.queue().equals(Topology.ORDER_REVIEW))
                .findFirst()
                .orElseThrow()
                .filterPolicy()
                .orElseThrow();
        // Attribute scope: an event offloaded to S3 keeps its attributes, while its body is only a pointer.
        assertThat(policy.scope().awsName()).isEqualTo("MessageAttributes");
        assertThat(policy.toJson()).isEqualTo("{\"total\":[{\"numeric\":[\">=\",1000]}]}");
    }

    @Test
    void analyticsIsTheUnfilteredSecondSubscriberWithTheSnsEnvelope() {
        var subscription = topology.subscriptionsOf(Topology.ORDER_EVENTS).stream()
                .filter(s -> s.queue().equals(Topology.ANALYTICS_ORDERS))
                .findFirst()
                .orElseThrow();
        assertThat(subscription.filterPolicy()).isEmpty();
        assertThat(subscription.rawMessageDelivery()).isFalse();
    }

    @Test
    void shipmentEventsFanOutFromAFifoTopicToFifoQueues() {
        assertThat(topology.topic(Topology.SHIPMENT_EVENTS).fifo()).isTrue();
        assertThat(topology.subscriptionsOf(Topology.SHIPMENT_EVENTS))
                .extracting(SubscriptionSpec::queue)
                .containsExactlyInAnyOrder(Topology.SHIPMENT_UPDATES, Topology.ANALYTICS_SHIPMENTS);
    }

    @Test
    void everySubscriptionHasADeadLetterQueueOfItsOwnOfItsTopicsKind() {
        assertThat(topology.subscriptions()).allSatisfy(s -> {
            var dlq = topology.queue(s.deadLetterQueue().orElseThrow());
            assertThat(dlq.fifo()).isEqualTo(topology.topic(s.topic()).fifo());
            assertThat(dlq.redrive()).isEmpty();
            assertThat(dlq.retentionPeriod()).isEqualTo(QueueSpec.DLQ_RETENTION);
            // Not shared with the queue's own DLQ: undeliverable and unprocessable messages are different failures.
            assertThat(topology.queue(s.queue()).redrive().orElseThrow().deadLetterQueue())
                    .isNotEqualTo(dlq.name());
        });
        assertThat(topology.subscriptions())
                .extracting(s -> s.deadLetterQueue().orElseThrow())
                .doesNotHaveDuplicates();
    }

    @Test
    void theTopicOfASubscriptionMaySendToItsDeadLetterQueue() {
        assertThat(topology.topicsSendingTo(Topology.SHIPPING_ORDERS_SNS_DLQ)).containsExactly(Topology.ORDER_EVENTS);
        assertThat(topology.topicsSendingTo(Topology.SHIPMENT_UPDATES_SNS_DLQ))
                .containsExactly(Topology.SHIPMENT_EVENTS);
        assertThat(topology.topicsSendingTo(Topology.SHIPPING_ORDERS_DLQ)).isEmpty();
        assertThat(SubscriptionSpec.redrivePolicyJson("arn:aws:sqs:us-east-1:000000000000:d"))
                .isEqualTo("{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:d\"}");
    }

    @Test
    void aFifoTopicsSubscriptionNeedsAFifoDeadLetterQueue() {
        assertThatThrownBy(() ->
                        new SubscriptionSpec("t.fifo", "q.fifo", true, Optional.empty()).withDeadLetterQueue("dlq"))
                .hasMessageContaining("DLQ must be of its topic's kind");
    }

    @Test
    void aSubscriptionCannotUseAnUndefinedDeadLetterQueue() {
        var subscription = new SubscriptionSpec("t", "q", true, Optional.empty()).withDeadLetterQueue("missing");
        assertThatThrownBy(() -> new Topology(
                        List.of(new TopicSpec("t")),
                        List.of(QueueSpec.deadLetter("q")),
                        List.of(subscription),
                        List.of()))
                .hasMessageContaining("undefined topic or queue");
    }

    @Test
    void aFifoTopicCannotFanOutToAStandardQueue() {
        assertThatThrownBy(() -> new SubscriptionSpec("t.fifo", "q", true, Optional.empty()))
                .hasMessageContaining("FIFO topic can only fan out to FIFO queues");
    }

    @Test
    void aQueueCannotRedriveToAnUndefinedQueue() {
        var orphan = QueueSpec.worker("work", new Redrive("missing-dlq", 3));
        assertThatThrownBy(() -> new Topology(List.of(), List.of(orphan), List.of(), List.of()))
                .hasMessageContaining("redrives to an undefined queue missing-dlq");
    }

    @Test
    void aFifoQueueNeedsAFifoDeadLetterQueue() {
        assertThatThrownBy(() -> QueueSpec.worker("work.fifo", new Redrive("dlq", 3)))
                .hasMessageContaining("FIFO queue needs a FIFO DLQ");
    }

    @Test
    void aVariantWithAShortVisibilityTimeoutChangesOnlyThatQueue() {
        var variant = topology.withVisibilityTimeout(Topology.SHIPPING_ORDERS, Duration.ofSeconds(3));
        assertThat(variant.queue(Topology.SHIPPING_ORDERS).visibilityTimeout()).hasSeconds(3);
        assertThat(variant.queue(Topology.ANALYTICS_ORDERS)).isEqualTo(topology.queue(Topology.ANALYTICS_ORDERS));
    }

    @Test
    void onlyTheDeliveryQueueDelaysItsMessagesAndNoTopicFeedsIt() {
        assertThat(topology.queues())
                .filteredOn(q -> !q.deliveryDelay().isZero())
                .extracting(QueueSpec::name)
                .containsExactly(Topology.SHIPMENT_DELIVERIES);
        assertThat(topology.queue(Topology.SHIPMENT_DELIVERIES).deliveryDelay())
                .isEqualTo(Topology.DELIVERY_CONFIRMATION_DELAY);
        assertThat(topology.topicsSendingTo(Topology.SHIPMENT_DELIVERIES)).isEmpty();
    }

    @Test
    void aDelayIsWholeSecondsUpToFifteenMinutesAsSqsAllows() {
        var redrive = new Redrive("dlq", 3);
        assertThat(QueueSpec.delayed("q", redrive, Duration.ofMinutes(15)).deliveryDelay())
                .hasMinutes(15);
        assertThatThrownBy(() -> QueueSpec.delayed("q", redrive, Duration.ofSeconds(901)))
                .hasMessageContaining("deliveryDelay");
        assertThatThrownBy(() -> QueueSpec.delayed("q", redrive, Duration.ofMillis(1500)))
                .hasMessageContaining("deliveryDelay");
        assertThatThrownBy(() -> QueueSpec.delayed("q", redrive, Duration.ofSeconds(-1)))
                .hasMessageContaining("deliveryDelay");
    }

    @Test
    void policiesAreWrittenAsStableJson() {
        var policy =
                FilterPolicy.onAttributes(Map.of("b", FilterPolicy.anyOf("x\"y"), "a", FilterPolicy.numeric("<", 2.5)));
        assertThat(policy.toJson()).isEqualTo("{\"a\":[{\"numeric\":[\"<\",2.5]}],\"b\":[\"x\\\"y\"]}");
        assertThat(new Redrive("dlq", 5).toJson("arn:aws:sqs:us-east-1:000000000000:dlq"))
                .isEqualTo(
                        "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq\",\"maxReceiveCount\":5}");
    }
}
