package io.decoupled.shipping.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.shipping.sqs.QueueDepth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** fauxqs has no StartMessageMoveTask: the redrive must fall back to receive, send and delete. */
class FauxqsFallbackRedriveIT extends EnvironmentRedriveContract {
    @Override
    AwsEnvironment environment() {
        return SharedAwsEnvironments.embedded();
    }

    @Override
    String expectedMode() {
        return RedriveTask.RECEIVE_SEND_DELETE;
    }

    /**
     * Poison fails again at once: a consumer that releases every message it receives sends each copy the redrive moved
     * back to the DLQ (the queue's redrive policy, 5 receives) while the redrive still runs. The redrive moves each
     * message that was in the DLQ when it started exactly once and leaves the ones that came back where they are;
     * before, it took them again and moved as many messages as it had counted, some twice and others not at all.
     */
    @Test
    void messagesThatFailAgainDuringTheRedriveAreMovedOnceAndNotChased() throws InterruptedException {
        var pair = pair();
        // Slow enough (batches of 10 two a second) that copies come back while the task still runs.
        var redriver = new DeadLetterRedriver(
                asyncClient(),
                new RedriveProperties(pair.source(), pair.dlq(), 20, Duration.ofSeconds(30)),
                new SimpleMeterRegistry(),
                Clock.systemUTC());
        var bodies = IntStream.range(0, 25)
                .mapToObj(i -> "{\"poison\":" + i + ",\"id\":\"" + UUID.randomUUID() + "\"}")
                .toList();
        send(pair.dlqUrl(), bodies);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> QueueDepth.visibleAndInFlight(client(), pair.dlqUrl()) == bodies.size());

        // How many times each body arrived on the source queue: a copy's first receive.
        var arrivals = new ConcurrentHashMap<String, Integer>();
        var failing = new AtomicBoolean(true);
        var consumer = Thread.ofVirtual().start(() -> {
            while (failing.get()) {
                var messages = client().receiveMessage(r -> r.queueUrl(pair.sourceUrl())
                                .maxNumberOfMessages(10)
                                .waitTimeSeconds(1)
                                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                        .messages();
                if (messages.isEmpty()) {
                    continue;
                }
                for (var m : messages) {
                    if ("1".equals(m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))) {
                        arrivals.merge(m.body(), 1, Integer::sum);
                    }
                }
                client().changeMessageVisibilityBatch(c -> c.queueUrl(pair.sourceUrl())
                        .entries(IntStream.range(0, messages.size())
                                .mapToObj(i -> ChangeMessageVisibilityBatchRequestEntry.builder()
                                        .id("v" + i)
                                        .receiptHandle(messages.get(i).receiptHandle())
                                        .visibilityTimeout(0)
                                        .build())
                                .toList()));
            }
        });
        try {
            var task = redriver.redriveAll();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(redriver.tasks()).anySatisfy(t -> {
                        assertThat(t.taskHandle()).isEqualTo(task.taskHandle());
                        assertThat(t.status()).isEqualTo("COMPLETED");
                        assertThat(t.moved()).isEqualTo(bodies.size());
                    }));
            // Every copy fails its way back; then each body is in the DLQ once, and arrived on the source once.
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(QueueDepth.visibleAndInFlight(client(), pair.dlqUrl()))
                            .isEqualTo(bodies.size()));
        } finally {
            failing.set(false);
            consumer.join(Duration.ofSeconds(5));
        }
        assertThat(arrivals.keySet()).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(arrivals.values()).as("each body redriven once").containsOnly(1);
    }
}
