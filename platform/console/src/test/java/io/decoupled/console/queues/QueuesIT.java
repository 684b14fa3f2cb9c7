package io.decoupled.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.console.Emulators;
import io.decoupled.topology.Topology;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Queue depths and the poison injector against the real SQS emulator. */
class QueuesIT {
    static SqsClient sqs;
    static QueueDepths depths;

    @BeforeAll
    static void emulators() {
        Emulators.shared();
        sqs = SqsClient.create(); // the SDK's default chain, as the console builds it
        depths = new QueueDepths(sqs);
    }

    @Test
    void everyWorkerQueueOfTheTopologyIsListedWithItsDeadLetterQueue() {
        var panel = depths.read();

        assertThat(panel.available()).isTrue();
        assertThat(panel.data())
                .extracting(QueueDepth::name)
                .containsExactly(
                        Topology.SHIPPING_ORDERS,
                        Topology.ANALYTICS_ORDERS,
                        Topology.ORDER_REVIEW,
                        Topology.SHIPMENT_UPDATES,
                        Topology.ANALYTICS_SHIPMENTS,
                        Topology.SHIPMENT_DELIVERIES);
        assertThat(panel.data())
                .filteredOn(QueueDepth::fifo)
                .extracting(QueueDepth::deadLetterQueue)
                .containsExactly(Topology.SHIPMENT_UPDATES_DLQ, Topology.ANALYTICS_SHIPMENTS_DLQ);
    }

    @Test
    void visibleInFlightAndDeadLetteredMessagesAreCountedApart() {
        var before = depthOf(Topology.ORDER_REVIEW);
        String url = depths.queueUrl(Topology.ORDER_REVIEW);
        for (int i = 0; i < 3; i++) {
            int n = i;
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("{\"n\":" + n + "}"));
        }
        sqs.sendMessage(
                r -> r.queueUrl(depths.queueUrl(Topology.ORDER_REVIEW_DLQ)).messageBody("{\"dead\":true}"));
        assertThat(sqs.receiveMessage(
                                r -> r.queueUrl(url).maxNumberOfMessages(1).visibilityTimeout(60))
                        .messages())
                .hasSize(1);

        var after = depthOf(Topology.ORDER_REVIEW);
        assertThat(after.visible() - before.visible()).isEqualTo(2);
        assertThat(after.inFlight() - before.inFlight()).isEqualTo(1);
        assertThat(after.deadLetterVisible() - before.deadLetterVisible()).isEqualTo(1);
    }

    @Test
    void aMessageWaitingOutItsDelayIsCountedAsDelayedNotVisible() {
        var before = depthOf(Topology.SHIPMENT_DELIVERIES);
        // No consumer runs here, and the queue's own 30 s delay keeps the message delayed for the whole test.
        sqs.sendMessage(
                r -> r.queueUrl(depths.queueUrl(Topology.SHIPMENT_DELIVERIES)).messageBody("{\"later\":true}"));

        var after = depthOf(Topology.SHIPMENT_DELIVERIES);
        assertThat(after.delayed() - before.delayed()).isEqualTo(1);
        assertThat(after.visible()).isEqualTo(before.visible());
    }

    @Test
    void aPoisonMessageLooksLikeAnOrderEventToTheFilterButCannotBeParsed() {
        var injector = new PoisonInjector(sqs, depths);
        String id = injector.inject();

        var received = receiveById(depths.queueUrl(Topology.SHIPPING_ORDERS), id);
        assertThat(received.messageAttributes().get("eventType").stringValue()).isEqualTo("OrderPlaced");
        assertThat(received.body()).startsWith("{").doesNotEndWith("}");
        assertThat(injector.injected()).isEqualTo(1);
        // Released at once so that nothing else in this JVM sees it in flight.
        sqs.changeMessageVisibility(r -> r.queueUrl(depths.queueUrl(Topology.SHIPPING_ORDERS))
                .receiptHandle(received.receiptHandle())
                .visibilityTimeout(0));
    }

    private static QueueDepth depthOf(String queue) {
        return depths.read().data().stream()
                .filter(q -> q.name().equals(queue))
                .findFirst()
                .orElseThrow();
    }

    private static Message receiveById(String url, String id) {
        for (int attempt = 0; attempt < 20; attempt++) {
            var messages = sqs.receiveMessage(r -> r.queueUrl(url)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .visibilityTimeout(30)
                            .messageAttributeNames("All")
                            .messageSystemAttributeNames(List.of(MessageSystemAttributeName.ALL)))
                    .messages();
            for (var m : messages) {
                if (m.messageId().equals(id)) {
                    return m;
                }
                sqs.changeMessageVisibility(
                        r -> r.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
            }
        }
        throw new AssertionError("message " + id + " not received; queue attributes: "
                + sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                        .attributes());
    }
}
