package io.decoupled.shipping.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.topology.Redrive;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * What a DLQ redrive must do on any SQS endpoint: move every message back exactly once, keep attributes,
 * peek without consuming, and redrive only what was selected. Each subclass names the endpoint and the
 * mode it must end up in (a message move task where the endpoint has one, receive-send-delete where not).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeadLetterRedriverContract {
    private static final Duration ASYNC = Duration.ofSeconds(45);

    abstract SqsAsyncClient asyncClient();

    abstract SqsClient client();

    abstract String expectedMode();

    record Pair(String source, String sourceUrl, String dlq, String dlqUrl, DeadLetterRedriver redriver) {}

    /** A queue pair of the test's own, with the same RedrivePolicy the topology gives shipping-orders. */
    Pair pair() {
        var sqs = client();
        String name = "redrive-" + UUID.randomUUID().toString().substring(0, 8);
        String dlqUrl = sqs.createQueue(c -> c.queueName(name + "-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(g -> g.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        var redrive =
                Topology.reference().queue(Topology.SHIPPING_ORDERS).redrive().orElseThrow();
        String sourceUrl = sqs.createQueue(c -> c.queueName(name)
                        .attributes(Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                new Redrive(name + "-dlq", redrive.maxReceiveCount()).toJson(dlqArn))))
                .queueUrl();
        var settings = new RedriveProperties(name, name + "-dlq", 200, Duration.ofSeconds(30));
        return new Pair(
                name,
                sourceUrl,
                name + "-dlq",
                dlqUrl,
                new DeadLetterRedriver(asyncClient(), settings, new SimpleMeterRegistry(), Clock.systemUTC()));
    }

    @Test
    void redriveAllMovesEveryMessageBackExactlyOnceWithItsAttributes() {
        var pair = pair();
        var bodies = IntStream.range(0, 30)
                .mapToObj(i -> "{\"n\":" + i + ",\"id\":\"" + UUID.randomUUID() + "\"}")
                .toList();
        send(pair.dlqUrl(), bodies);

        var task = pair.redriver().redriveAll();
        assertThat(task.mode()).isEqualTo(expectedMode());
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(pair.redriver().tasks()).anySatisfy(t -> {
                    assertThat(t.taskHandle()).isEqualTo(task.taskHandle());
                    assertThat(t.status()).isEqualTo("COMPLETED");
                }));

        var moved = new HashMap<String, Integer>();
        var attributes = new ArrayList<Map<String, MessageAttributeValue>>();
        await().atMost(ASYNC).untilAsserted(() -> {
            drain(pair.sourceUrl(), moved, attributes);
            assertThat(moved).hasSize(bodies.size());
        });
        // Nothing more arrives: no duplicates.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
            drain(pair.sourceUrl(), moved, attributes);
            return moved.size() == bodies.size();
        });
        assertThat(moved.keySet()).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(moved.values()).containsOnly(1);
        assertThat(attributes).allSatisfy(a -> assertThat(a).containsKey("eventType"));
        assertThat(visible(pair.dlqUrl())).isZero();
    }

    @Test
    void peekShowsMessagesWithoutConsumingThem() {
        var pair = pair();
        var bodies = List.of("{\"peek\":1}", "{\"peek\":2}", "{\"peek\":3}");
        send(pair.dlqUrl(), bodies);
        await().atMost(ASYNC).until(() -> visible(pair.dlqUrl()) == 3);

        var peeked = pair.redriver().peek(10);
        assertThat(peeked).extracting(DeadLetterMessage::body).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(peeked).allSatisfy(m -> assertThat(m.attributes()).containsEntry("eventType", "OrderPlaced"));
        await().atMost(ASYNC)
                .untilAsserted(
                        () -> assertThat(pair.redriver().depth().visible()).isEqualTo(3));
    }

    @Test
    void redriveSelectedMovesOnlyTheChosenMessages() {
        var pair = pair();
        send(pair.dlqUrl(), List.of("{\"pick\":\"a\"}", "{\"pick\":\"b\"}", "{\"keep\":\"c\"}", "{\"keep\":\"d\"}"));
        await().atMost(ASYNC).until(() -> visible(pair.dlqUrl()) == 4);
        var chosen = pair.redriver().peek(10).stream()
                .filter(m -> m.body().contains("pick"))
                .map(DeadLetterMessage::messageId)
                .toList();
        assertThat(chosen).hasSize(2);

        var result = pair.redriver().redriveSelected(chosen);
        assertThat(result.redriven()).containsExactlyInAnyOrderElementsOf(chosen);
        assertThat(result.notFound()).isEmpty();

        var moved = new HashMap<String, Integer>();
        await().atMost(ASYNC).untilAsserted(() -> {
            drain(pair.sourceUrl(), moved, new ArrayList<>());
            assertThat(moved.keySet()).containsExactlyInAnyOrder("{\"pick\":\"a\"}", "{\"pick\":\"b\"}");
        });
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(pair.redriver().peek(10))
                        .extracting(DeadLetterMessage::body)
                        .containsExactlyInAnyOrder("{\"keep\":\"c\"}", "{\"keep\":\"d\"}"));
    }

    void send(String url, List<String> bodies) {
        for (int from = 0; from < bodies.size(); from += 10) {
            var chunk = bodies.subList(from, Math.min(from + 10, bodies.size()));
            var entries = IntStream.range(0, chunk.size())
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder()
                            .id("m" + i)
                            .messageBody(chunk.get(i))
                            .messageAttributes(Map.of(
                                    "eventType",
                                    MessageAttributeValue.builder()
                                            .dataType("String")
                                            .stringValue("OrderPlaced")
                                            .build()))
                            .build())
                    .toList();
            assertThat(client().sendMessageBatch(b -> b.queueUrl(url).entries(entries))
                            .failed())
                    .isEmpty();
        }
    }

    private void drain(String url, Map<String, Integer> seen, List<Map<String, MessageAttributeValue>> attributes) {
        var messages = client().receiveMessage(r -> r.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(0)
                        .messageAttributeNames("All"))
                .messages();
        for (var m : messages) {
            seen.merge(m.body(), 1, Integer::sum);
            attributes.add(m.messageAttributes());
            client().deleteMessage(d -> d.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
    }

    private long visible(String url) {
        return Long.parseLong(client().getQueueAttributes(
                        g -> g.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
