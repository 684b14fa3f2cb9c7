package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsService;
import io.decoupled.shipping.LocalShipping;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
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
 * No received message is left hidden with nobody working on it: not the messages held for a worker when the
 * consumer stops (handed back at once, not after the drain), and not the message of a handler that threw an Error
 * (its worker goes on and the message is handed back). The visibility timeout is a minute, so a message can only
 * be back within these tests' bounds because the consumer gave it back.
 */
class NothingStrandedIT {
    private static final Duration VISIBILITY = Duration.ofSeconds(60);

    @Test
    void stoppingHandsTheHeldMessagesBackAtOnceWhileRunningWorkStillDrains() throws Exception {
        var queue = LocalShipping.queuePair("stop-held", VISIBILITY);
        var aws = LocalShipping.aws();
        send(queue.url(), "order-", 10);
        var working = new CountDownLatch(1);
        var finish = new CountDownLatch(1);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        var meters = new SimpleMeterRegistry();
        try (var client = aws.configure(SqsClient.builder(), AwsService.SQS).build()) {
            var consumer = new SqsQueueConsumer(
                    client,
                    settings(queue.url(), Duration.ofMinutes(2)),
                    message -> {
                        handled.add(message.payload());
                        working.countDown();
                        assertThat(finish.await(2, TimeUnit.MINUTES)).isTrue();
                        return "ok";
                    },
                    JsonMapper.builder().build(),
                    meters);
            consumer.start();
            Thread stopping = null;
            try {
                assertThat(working.await(60, TimeUnit.SECONDS))
                        .as("one message is being worked on")
                        .isTrue();
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                meters.get("shipping.messages.held").gauge().value() >= 1);
                // The single worker is busy for as long as this test wants; stop() drains it (up to two minutes).
                stopping = Thread.ofVirtual().start(consumer::stop);

                var returned = new HashSet<String>();
                try (var sqs = aws.sqs()) {
                    // Back while the drain still waits for the running message, well within the visibility timeout.
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
                assertThat(stopping.isAlive())
                        .as("still draining the running message")
                        .isTrue();
                assertThat(returned).as("nothing both handled and returned").doesNotContainAnyElementsOf(handled);
            } finally {
                finish.countDown();
                if (stopping != null) {
                    stopping.join(Duration.ofSeconds(30));
                } else {
                    consumer.stop();
                }
            }
        }
    }

    @Test
    void aHandlerThatThrowsAnErrorGivesItsWorkerBackAndItsMessageToTheQueue() throws Exception {
        var queue = LocalShipping.queuePair("handler-error", VISIBILITY);
        var aws = LocalShipping.aws();
        send(queue.url(), "order-", 3);
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        try (var client = aws.configure(SqsClient.builder(), AwsService.SQS).build()) {
            var consumer = new SqsQueueConsumer(
                    client,
                    settings(queue.url(), Duration.ofSeconds(20)),
                    message -> {
                        if (failedOnce.add(message.payload())) {
                            // A bug in a handler surfaces as an Error, not an Exception (here: once per message).
                            throw new StackOverflowError("handler bug");
                        }
                        handled.add(message.payload());
                        return "ok";
                    },
                    JsonMapper.builder().build(),
                    new SimpleMeterRegistry());
            consumer.start();
            try {
                // One worker: if an Error kept its place, nothing would be worked on again (the held messages would
                // wait out their hand-over deadline, the failed ones their minute of visibility).
                // The Error is the handler's, not the test's: what is checked is what the consumer does after it.
                await().dontCatchUncaughtExceptions()
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> {
                            assertThat(handled).containsExactlyInAnyOrder("order-0", "order-1", "order-2");
                            assertThat(consumer.busyWorkers()).isZero();
                        });
            } finally {
                consumer.stop();
            }
        }
    }

    private static ConsumerProperties settings(String queueUrl, Duration shutdownTimeout) {
        return new ConsumerProperties(
                queueUrl,
                1,
                1,
                10,
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                shutdownTimeout,
                new ConsumerProperties.Heartbeat(
                        true, Duration.ofSeconds(10), Duration.ofSeconds(5), null, Duration.ofMinutes(15)),
                new ConsumerProperties.Retry(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(1),
                        5,
                        Duration.ofSeconds(30)));
    }

    private static void send(String queueUrl, String prefix, int count) {
        try (var sqs = LocalShipping.aws().sqs()) {
            List<SendMessageBatchRequestEntry> entries = IntStream.range(0, count)
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder()
                            .id("m" + i)
                            .messageBody(prefix + i)
                            .build())
                    .toList();
            sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }
    }
}
