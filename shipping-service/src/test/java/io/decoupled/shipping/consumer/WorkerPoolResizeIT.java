package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsService;
import io.decoupled.shipping.LocalShipping;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import tools.jackson.databind.json.JsonMapper;

/**
 * A received batch is never stranded: when the pool is resized to zero while messages of a batch wait for a worker,
 * they are handed back at once for another consumer, not held hidden until their visibility timeout (or longer, by
 * the heartbeat). Counted: every message is either handled here or back on the queue, exactly once.
 */
class WorkerPoolResizeIT {
    private static final Duration VISIBILITY = Duration.ofSeconds(60);

    @Test
    void resizingToZeroHandsTheMessagesWaitingForAWorkerBackAtOnce() throws Exception {
        var queue = LocalShipping.queuePair("resize", VISIBILITY);
        var aws = LocalShipping.aws();
        try (var sqs = aws.sqs()) {
            sqs.sendMessageBatch(b -> b.queueUrl(queue.url())
                    .entries(IntStream.range(0, 10)
                            .mapToObj(i -> SendMessageBatchRequestEntry.builder()
                                    .id("m" + i)
                                    .messageBody("order-" + i)
                                    .build())
                            .toList()));
        }
        var working = new CountDownLatch(1);
        var finish = new CountDownLatch(1);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        var settings = new ConsumerProperties(
                queue.url(),
                1,
                1,
                10,
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                Duration.ofSeconds(20),
                new ConsumerProperties.Heartbeat(
                        true, Duration.ofSeconds(10), Duration.ofSeconds(5), null, Duration.ofMinutes(15)),
                new ConsumerProperties.Retry(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(1),
                        5,
                        Duration.ofSeconds(30)));
        try (var client = aws.configure(SqsClient.builder(), AwsService.SQS).build()) {
            var consumer = new SqsQueueConsumer(
                    client,
                    settings,
                    message -> {
                        handled.add(message.payload());
                        working.countDown();
                        assertThat(finish.await(2, TimeUnit.MINUTES)).isTrue();
                        return "ok";
                    },
                    JsonMapper.builder().build(),
                    new SimpleMeterRegistry());
            consumer.start();
            try {
                assertThat(working.await(60, TimeUnit.SECONDS))
                        .as("one message is being worked on")
                        .isTrue();
                // The single worker is busy; the rest of its batch waits for it. No worker will come:
                consumer.resize(0);

                var returned = new HashSet<String>();
                try (var sqs = aws.sqs()) {
                    // Back well within the 60 s visibility timeout: handed back, not left to expire.
                    await().atMost(Duration.ofSeconds(20))
                            .pollInterval(Duration.ofMillis(200))
                            .untilAsserted(() -> {
                                sqs.receiveMessage(r -> r.queueUrl(queue.url())
                                                .maxNumberOfMessages(10)
                                                .visibilityTimeout(120))
                                        .messages()
                                        .forEach(m -> returned.add(m.body()));
                                assertThat(returned.size() + handled.size()).isEqualTo(10);
                            });
                }
                assertThat(returned).as("nothing both handled and returned").doesNotContainAnyElementsOf(handled);
                assertThat(handled)
                        .as("no worker took anything after the resize")
                        .hasSize(1);
            } finally {
                finish.countDown();
                consumer.stop();
            }
        }
    }
}
