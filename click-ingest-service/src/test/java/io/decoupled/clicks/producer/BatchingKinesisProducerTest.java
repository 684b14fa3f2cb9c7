package io.decoupled.clicks.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * The producer's own decisions, with PutRecords answered as each test scripts it (no emulator: what is judged is how
 * the producer classifies an answer and what it does with its records, not Kinesis; ClickIngestIT and ShutdownFlushIT
 * run the producer against kinesalite): which errors are retried and which are final, a call refused as invalid
 * isolating its records, a sender surviving an exception nobody expected, and a stop interrupted while it waits.
 */
@ExtendWith(OutputCaptureExtension.class)
class BatchingKinesisProducerTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScriptedKinesis kinesis = new ScriptedKinesis();
    private BatchingKinesisProducer producer;

    @AfterEach
    void stop() {
        kinesis.answer = kinesis::accept;
        if (producer != null) {
            producer.stop();
        }
    }

    @Test
    void entryErrorsThatSayTheStreamIsUnusableAreRetriedAndAVerdictOnTheRecordIsFinal() {
        var refusedFor = Map.of("kms", "KMSDisabledException", "iam", "AccessDeniedException");
        var refusals = new ConcurrentHashMap<String, AtomicInteger>();
        kinesis.answer = request -> kinesis.answerEach(request, entry -> {
            var key = entry.partitionKey();
            if (key.equals("bad")) {
                // A code that judges this record: final at once.
                return "InvalidArgumentException";
            }
            // Refused a few times for the stream's key or the role, then taken: kept until then.
            if (refusedFor.containsKey(key)
                    && refusals.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() <= 3) {
                return refusedFor.get(key);
            }
            return null;
        });
        producer = start(properties(2, 500, Duration.ofMillis(1), Duration.ofMinutes(1)));

        var kms = producer.submit(List.of(record("kms")));
        var iam = producer.submit(List.of(record("iam")));
        var bad = producer.submit(List.of(record("bad")));

        assertThat(kms).succeedsWithin(Duration.ofSeconds(10));
        assertThat(iam).succeedsWithin(Duration.ofSeconds(10));
        assertThat(bad)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        RecordDeliveryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("InvalidArgumentException"));
        assertThat(kinesis.written).containsExactlyInAnyOrder("kms", "iam");
        assertThat(counter("clickstream.producer.retries")).isEqualTo(6);
        assertThat(counter("clickstream.producer.failures")).isEqualTo(1);
    }

    @Test
    void aCallRefusedAsInvalidIsRetriedOneRecordPerCallSoThatOneRecordCannotHoldBackTheOthers() {
        var poisonCallSizes = new CopyOnWriteArrayList<Integer>();
        kinesis.answer = request -> {
            if (request.records().stream().anyMatch(e -> e.partitionKey().equals("poison"))) {
                poisonCallSizes.add(request.records().size());
                throw refused(400, "ValidationException");
            }
            return kinesis.accept(request);
        };
        // A linger long enough that the first call carries all ten records.
        producer = start(properties(1, 10, Duration.ofHours(1), Duration.ofMinutes(1)));

        var others = IntStream.range(0, 9)
                .mapToObj(i -> producer.submit(List.of(record("s" + i))))
                .toList();
        var poison = producer.submit(List.of(record("poison")));

        assertThat(CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)))
                .succeedsWithin(Duration.ofSeconds(10));
        // Not given up on: a whole call refused is never a verdict on its records.
        await().atMost(Duration.ofSeconds(10)).until(() -> poisonCallSizes.size() >= 3);
        assertThat(poison).isNotDone();
        assertThat(producer.held()).isEqualTo(1);
        // A copy: the sender keeps retrying the poison meanwhile, and a view of the live list fails when it grows.
        var sizes = List.copyOf(poisonCallSizes);
        assertThat(sizes.getFirst()).as("the first call, with everyone").isEqualTo(10);
        assertThat(sizes.subList(1, sizes.size()))
                .as("every call with it after that")
                .containsOnly(1);

        kinesis.answer = kinesis::accept;
        assertThat(poison).succeedsWithin(Duration.ofSeconds(10));
        assertThat(kinesis.written).hasSize(10).doesNotHaveDuplicates().contains("poison");
        assertThat(counter("clickstream.producer.failures")).isZero();
    }

    @Test
    void aSenderSurvivesAnUnexpectedExceptionOfTheClient(CapturedOutput output) {
        var thrown = new AtomicInteger();
        kinesis.answer = request -> {
            if (thrown.getAndIncrement() == 0) {
                throw new IllegalStateException("a bug in an interceptor");
            }
            return kinesis.accept(request);
        };
        // One sender: the one that meets the exception has to carry on.
        producer = start(properties(1, 500, Duration.ofMillis(1), Duration.ofMinutes(1)));

        var first = producer.submit(List.of(record("a"), record("b"), record("c")));
        assertThat(first).succeedsWithin(Duration.ofSeconds(10));
        var later = producer.submit(List.of(record("d")));
        assertThat(later).succeedsWithin(Duration.ofSeconds(10));

        assertThat(thrown).hasValueGreaterThanOrEqualTo(3);
        assertThat(kinesis.written).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(producer.held()).isZero();
        assertThat(counter("clickstream.producer.failures")).isZero();
        assertThat(output).contains("threw an unexpected IllegalStateException", "a bug in an interceptor");
    }

    @Test
    void aStopInterruptedWhileItWaitsFailsCountsAndLogsEverythingStillHeld(CapturedOutput output) {
        var inCall = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        kinesis.answer = request -> {
            inCall.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
        };
        // Batches of 5, sent only when 5 are ready: 5 records go into a call that hangs, 7 stay queued.
        producer = start(properties(1, 5, Duration.ofHours(1), Duration.ofMinutes(1)));
        var futures = IntStream.range(0, 12)
                .mapToObj(i -> producer.submit(List.of(record("k" + i))))
                .toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> inCall.getCount() == 0);

        Thread.currentThread().interrupt();
        producer.stop();

        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        assertThat(futures.subList(5, 12))
                .allSatisfy(f -> assertThat(f)
                        .isCompletedExceptionally()
                        .failsWithin(Duration.ZERO)
                        .withThrowableThat()
                        .havingCause()
                        .isInstanceOfSatisfying(
                                RecordDeliveryException.class,
                                e -> assertThat(e.errorCode()).isEqualTo("ShutdownInterrupted")));
        assertThat(counter("clickstream.producer.failures")).isEqualTo(7);
        assertThat(output).contains("7 records could not be sent before shutdown, 5 still in a PutRecords call");

        // The hung call returns: its sender fails its records, as the producer has stopped.
        release.countDown();
        assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)))
                .failsWithin(Duration.ofSeconds(10));
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
        assertThat(counter("clickstream.producer.failures")).isEqualTo(12);
        assertThat(producer.held()).isZero();
        assertThat(kinesis.written).isEmpty();
    }

    private BatchingKinesisProducer start(ProducerProperties properties) {
        var started = new BatchingKinesisProducer(kinesis, properties, new ProducerMetrics(meters));
        started.start();
        return started;
    }

    private static ProducerProperties properties(
            int senders, int maxBatchRecords, Duration linger, Duration shutdownTimeout) {
        return new ProducerProperties(
                "clickstream",
                100,
                maxBatchRecords,
                DataSize.ofMegabytes(5),
                linger,
                Duration.ofMillis(1),
                Duration.ofMillis(20),
                senders,
                shutdownTimeout,
                Duration.ofSeconds(1));
    }

    private static OutgoingRecord record(String key) {
        return new OutgoingRecord(key, key.getBytes(StandardCharsets.UTF_8));
    }

    private static KinesisException refused(int status, String code) {
        return (KinesisException) KinesisException.builder()
                .statusCode(status)
                .message(code)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .serviceName("Kinesis")
                        .errorCode(code)
                        .build())
                .build();
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    /** PutRecords answered by {@link #answer}; {@link #written} has the keys of the entries it took, in order. */
    private static final class ScriptedKinesis implements KinesisClient {
        final List<String> written = new CopyOnWriteArrayList<>();
        volatile Function<PutRecordsRequest, PutRecordsResponse> answer = this::accept;

        @Override
        public PutRecordsResponse putRecords(PutRecordsRequest request) {
            return answer.apply(request);
        }

        PutRecordsResponse accept(PutRecordsRequest request) {
            return answerEach(request, entry -> null);
        }

        /** Each entry taken, or failed with the error code {@code outcome} gives it. */
        PutRecordsResponse answerEach(PutRecordsRequest request, Function<PutRecordsRequestEntry, String> outcome) {
            var results = new ArrayList<PutRecordsResultEntry>();
            int failed = 0;
            for (var entry : request.records()) {
                var error = outcome.apply(entry);
                if (error == null) {
                    written.add(entry.partitionKey());
                    results.add(PutRecordsResultEntry.builder()
                            .shardId("shardId-000000000000")
                            .sequenceNumber(Integer.toString(written.size()))
                            .build());
                } else {
                    failed++;
                    results.add(PutRecordsResultEntry.builder()
                            .errorCode(error)
                            .errorMessage("scripted")
                            .build());
                }
            }
            return PutRecordsResponse.builder()
                    .records(results)
                    .failedRecordCount(failed)
                    .build();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {}
    }
}
