package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.BenchmarkReport;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark (profile {@code benchmark}, docs/benchmarks.md): {@link SqsQueueConsumer} with a no-op handler against a
 * raw SDK loop of ReceiveMessage(10) + DeleteMessageBatch on the same emulator, same batch size, same number of
 * threads, the same backlog, rounds alternating which goes first; a fresh queue per measurement. Also counts the
 * consumer's SQS calls per consumed message under load. Fails only on lost or duplicated messages.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class SqsConsumerBenchmarkIT {
    private static final int MESSAGES = Integer.getInteger("benchmark.messages", 4000);
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 4);
    private static final int THREADS = 4; // the consumer's default workers and maxPollers
    private static final int BATCH = 10;
    private static final Duration WAIT = Duration.ofSeconds(1);

    private final LocalAws aws = SharedAwsEnvironments.embedded();

    @Test
    void consumerAgainstARawReceiveDeleteLoop() throws Exception {
        var ratios = new ArrayList<Double>();
        var callsPerMessage = new ArrayList<Double>();
        var rawRates = new ArrayList<Double>();
        var consumerRates = new ArrayList<Double>();
        // An unmeasured warm-up of both sides (JIT, connection pools, the emulator), then the measured rounds.
        rawLoop(filledQueue());
        consumer(filledQueue());
        for (int round = 0; round < ROUNDS; round++) {
            Run raw;
            Run consumer;
            if (round % 2 == 0) {
                raw = rawLoop(filledQueue());
                consumer = consumer(filledQueue());
            } else {
                consumer = consumer(filledQueue());
                raw = rawLoop(filledQueue());
            }
            rawRates.add(raw.rate());
            consumerRates.add(consumer.rate());
            ratios.add(consumer.rate() / raw.rate());
            callsPerMessage.add(consumer.callsPerMessage());
            System.out.printf("sqs-consumer round %d: raw %.0f msg/s (%.3f calls/msg), consumer %.0f msg/s (%.3f calls/msg), ratio %.3f%n",
                    round, raw.rate(), raw.callsPerMessage(), consumer.rate(), consumer.callsPerMessage(), consumer.rate() / raw.rate());
        }
        var details = new LinkedHashMap<String, Object>();
        details.put("messages", MESSAGES);
        details.put("threads", THREADS);
        details.put("batchSize", BATCH);
        details.put("rawMsgPerSec", rawRates);
        details.put("consumerMsgPerSec", consumerRates);
        details.put("ratios", ratios);
        BenchmarkReport.atLeast("sqs-consumer-throughput", "ratio", BenchmarkReport.median(ratios), 0.95, details);
        BenchmarkReport.atMost("sqs-consumer-calls-per-message", "callsPerMessage", BenchmarkReport.median(callsPerMessage), 0.21,
                Map.of("messages", MESSAGES, "perRound", callsPerMessage));
    }

    private record Run(double rate, double callsPerMessage) {
    }

    /** The candidate: the production consumer with its production settings, except a shorter long poll (see the raw loop). */
    private Run consumer(String queueUrl) throws Exception {
        var counter = new CallCounter();
        var handled = ConcurrentHashMap.<String>newKeySet();
        var duplicates = new AtomicInteger();
        var settings = new ConsumerProperties(queueUrl, THREADS, THREADS, BATCH, WAIT, Duration.ofMillis(100), Duration.ofSeconds(20),
                new ConsumerProperties.Heartbeat(true, Duration.ofSeconds(10), Duration.ofSeconds(5), null, Duration.ofMinutes(15)),
                new ConsumerProperties.Retry(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofMinutes(10), 5, Duration.ofSeconds(30)));
        try (var sqs = aws.configure(SqsAsyncClient.builder(), AwsService.SQS)
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build()) {
            var consumer = new SqsQueueConsumer(sqs, settings, message -> {
                if (!handled.add(message.messageId())) {
                    duplicates.incrementAndGet();
                }
                return "noop";
            }, JsonMapper.builder().build(), new SimpleMeterRegistry());
            counter.reset();
            long start = System.nanoTime();
            consumer.start();
            counter.awaitDeleted(MESSAGES, Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            long calls = counter.calls.get();
            consumer.stop();
            check("consumer", handled, duplicates, counter, queueUrl);
            return new Run(MESSAGES / seconds, (double) calls / MESSAGES);
        }
    }

    /** The baseline: THREADS threads, each ReceiveMessage(10) then DeleteMessageBatch of what it got, nothing else. */
    private Run rawLoop(String queueUrl) throws Exception {
        var counter = new CallCounter();
        var handled = ConcurrentHashMap.<String>newKeySet();
        var duplicates = new AtomicInteger();
        var done = new AtomicBoolean();
        try (var sqs = aws.configure(SqsClient.builder(), AwsService.SQS).overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
             var executor = Executors.newFixedThreadPool(THREADS)) {
            var futures = new ArrayList<Future<?>>();
            long start = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                futures.add(executor.submit(() -> {
                    while (!done.get()) {
                        var messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(BATCH)
                                .waitTimeSeconds((int) WAIT.toSeconds()).messageAttributeNames("All")
                                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                        if (messages.isEmpty()) {
                            continue;
                        }
                        for (var m : messages) {
                            if (!handled.add(m.messageId())) {
                                duplicates.incrementAndGet();
                            }
                        }
                        sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(messages.stream()
                                .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
                    }
                    return null;
                }));
            }
            counter.awaitDeleted(MESSAGES, Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            long calls = counter.calls.get();
            done.set(true);
            for (var f : futures) {
                f.get();
            }
            check("raw loop", handled, duplicates, counter, queueUrl);
            return new Run(MESSAGES / seconds, (double) calls / MESSAGES);
        }
    }

    /** Correctness is not a timing: every message handled exactly once and deleted, none left behind. */
    private void check(String who, Set<String> handled, AtomicInteger duplicates, CallCounter counter, String queueUrl) {
        assertThat(handled).as(who + ": distinct messages handled").hasSize(MESSAGES);
        assertThat(duplicates.get()).as(who + ": messages handled twice").isZero();
        assertThat(counter.deleted.get()).as(who + ": messages deleted").isEqualTo(MESSAGES);
        try (var sqs = aws.sqs()) {
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            assertThat(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).as(who + ": messages left").isEqualTo("0");
            assertThat(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).as(who + ": messages in flight").isEqualTo("0");
            sqs.deleteQueue(r -> r.queueUrl(queueUrl));
        }
    }

    /** A fresh queue (visibility 30 s, like shipping-orders) holding MESSAGES contract-shaped messages. */
    private String filledQueue() throws Exception {
        try (var sqs = aws.sqs(); var executor = Executors.newFixedThreadPool(THREADS)) {
            var url = sqs.createQueue(r -> r.queueName("bench-consumer-" + UUID.randomUUID().toString().substring(0, 8))
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(executor.submit(() -> {
                    for (int sent = 0; sent < MESSAGES / THREADS; sent += BATCH) {
                        var entries = new ArrayList<SendMessageBatchRequestEntry>();
                        for (int i = 0; i < BATCH; i++) {
                            var id = UUID.randomUUID().toString();
                            entries.add(SendMessageBatchRequestEntry.builder().id(id).messageBody(body(id)).build());
                        }
                        sqs.sendMessageBatch(r -> r.queueUrl(url).entries(entries));
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
            return url;
        }
    }

    private static String body(String id) {
        return """
                {"eventId":"%s","eventType":"OrderPlaced","orderId":"%s","customerId":"bench","fulfillment":"SHIP","country":"DE",\
                "currency":"EUR","total":61.50,"lines":[{"sku":"BOOK-1","quantity":2,"unitPrice":30.75}],"occurredAt":"2026-11-22T10:15:30Z"}"""
                .formatted(id, UUID.randomUUID());
    }

    /** Counts every SQS call a client makes and the entries its DeleteMessageBatch calls deleted. */
    private static final class CallCounter implements ExecutionInterceptor {
        final AtomicLong calls = new AtomicLong();
        final AtomicInteger deleted = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            calls.incrementAndGet();
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof DeleteMessageBatchResponse response) {
                deleted.addAndGet(response.successful().size());
            }
        }

        void reset() {
            calls.set(0);
        }

        void awaitDeleted(int expected, Duration timeout) {
            // A 1 ms poll keeps the measurement's end within a millisecond of the last delete.
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> deleted.get() >= expected);
        }
    }
}
