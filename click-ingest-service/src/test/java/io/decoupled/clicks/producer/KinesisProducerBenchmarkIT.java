package io.decoupled.clicks.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.BenchmarkReport;
import io.decoupled.localaws.CpuPlacement;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Benchmark (profile {@code benchmark}, docs/benchmarks.md): {@link BatchingKinesisProducer} against a raw loop of
 * 500-record PutRecords calls with as many threads as the producer has senders, the same records, on kinesalite.
 * kinesalite slows down as a stream grows, so every measurement writes to a fresh two-shard stream (the topology's
 * shape) and rounds alternate which side goes first. Also reports the producer's records per PutRecords call.
 * Fails only when a record is lost or duplicated (every stream is read back).
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class KinesisProducerBenchmarkIT {
    private static final int RECORDS = Integer.getInteger("benchmark.records", 20_000);
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 4);
    private static final int SENDERS = 2; // the producer's default
    private static final int SESSIONS = 2_000;
    private static final int REQUEST_SIZE = 50; // records per submit, like a batch of clicks arriving over REST

    private final LocalAws aws = SharedAwsEnvironments.embedded();

    @Test
    void producerAgainstARawPutRecordsLoop() throws Exception {
        CpuPlacement.apply(List.of());
        var ratios = new ArrayList<Double>();
        var perCall = new ArrayList<Double>();
        var rawRates = new ArrayList<Double>();
        var producerRates = new ArrayList<Double>();
        // An unmeasured warm-up of both sides (JIT, connection pools, the emulator), then the measured rounds.
        rawLoop(freshStream(), records(-1));
        producer(freshStream(), records(-1));
        for (int round = 0; round < ROUNDS; round++) {
            var records = records(round);
            Run raw;
            Run producer;
            if (round % 2 == 0) {
                raw = rawLoop(freshStream(), records);
                producer = producer(freshStream(), records);
            } else {
                producer = producer(freshStream(), records);
                raw = rawLoop(freshStream(), records);
            }
            rawRates.add(raw.rate());
            producerRates.add(producer.rate());
            ratios.add(producer.rate() / raw.rate());
            perCall.add(producer.recordsPerCall());
            System.out.printf(
                    "kinesis-producer round %d: raw %.0f rec/s (%.1f rec/call), producer %.0f rec/s (%.1f rec/call), ratio %.3f%n",
                    round,
                    raw.rate(),
                    raw.recordsPerCall(),
                    producer.rate(),
                    producer.recordsPerCall(),
                    producer.rate() / raw.rate());
        }
        var details = new LinkedHashMap<String, Object>();
        details.put("records", RECORDS);
        details.put("senders", SENDERS);
        details.put("rawRecPerSec", rawRates);
        details.put("producerRecPerSec", producerRates);
        details.put("ratios", ratios);
        BenchmarkReport.atLeast("kinesis-producer-throughput", "ratio", BenchmarkReport.median(ratios), 0.95, details);
        BenchmarkReport.atLeast(
                "kinesis-producer-records-per-call",
                "recordsPerCall",
                BenchmarkReport.median(perCall),
                400,
                Map.of("records", RECORDS, "perRound", perCall));
    }

    private record Run(double rate, double recordsPerCall) {}

    private Run producer(String stream, List<OutgoingRecord> records) throws Exception {
        var counter = new PutRecordsCounter();
        var properties = new ProducerProperties(
                stream,
                10_000,
                500,
                DataSize.ofMegabytes(5),
                Duration.ofMillis(20),
                Duration.ofMillis(50),
                Duration.ofSeconds(2),
                SENDERS,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1));
        try (var kinesis = client(counter)) {
            var producer =
                    new BatchingKinesisProducer(kinesis, properties, new ProducerMetrics(new SimpleMeterRegistry()));
            producer.start();
            var futures = new ArrayList<CompletableFuture<Void>>();
            long start = System.nanoTime();
            for (int from = 0; from < records.size(); from += REQUEST_SIZE) {
                var chunk = records.subList(from, Math.min(from + REQUEST_SIZE, records.size()));
                while (true) {
                    try {
                        futures.add(producer.submit(chunk));
                        break;
                    } catch (BufferFullException full) {
                        LockSupport.parkNanos(1_000_000); // back-pressure: a REST client would get a 429 and retry
                    }
                }
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
            double seconds = (System.nanoTime() - start) / 1e9;
            producer.stop();
            checkStream("producer", stream, records);
            return new Run(records.size() / seconds, (double) counter.records.get() / counter.calls.get());
        }
    }

    private Run rawLoop(String stream, List<OutgoingRecord> records) throws Exception {
        var counter = new PutRecordsCounter();
        try (var kinesis = client(counter);
                var executor = Executors.newFixedThreadPool(SENDERS)) {
            var futures = new ArrayList<Future<?>>();
            long start = System.nanoTime();
            for (int t = 0; t < SENDERS; t++) {
                int thread = t;
                futures.add(executor.submit(() -> {
                    for (int from = thread * 500; from < records.size(); from += SENDERS * 500) {
                        var entries = records.subList(from, Math.min(from + 500, records.size())).stream()
                                .map(r -> PutRecordsRequestEntry.builder()
                                        .partitionKey(r.partitionKey())
                                        .data(SdkBytes.fromByteArray(r.data()))
                                        .build())
                                .toList();
                        while (!entries.isEmpty()) { // resend only the failed entries, as any correct client must
                            var response = kinesis.putRecords(PutRecordsRequest.builder()
                                    .streamName(stream)
                                    .records(entries)
                                    .build());
                            var failed = new ArrayList<PutRecordsRequestEntry>();
                            for (int i = 0; i < entries.size(); i++) {
                                if (response.records().get(i).errorCode() != null) {
                                    failed.add(entries.get(i));
                                }
                            }
                            entries = failed;
                        }
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            checkStream("raw loop", stream, records);
            return new Run(records.size() / seconds, (double) counter.records.get() / counter.calls.get());
        }
    }

    /** Reads the whole stream back: every record exactly once. */
    private void checkStream(String who, String stream, List<OutgoingRecord> records) {
        var seen = new HashSet<String>();
        int total = 0;
        try (var kinesis = aws.kinesis()) {
            for (var shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
                var iterator = kinesis.getShardIterator(r -> r.streamName(stream)
                                .shardId(shard.shardId())
                                .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                        .shardIterator();
                while (iterator != null) {
                    String current = iterator;
                    var response =
                            kinesis.getRecords(r -> r.shardIterator(current).limit(10_000));
                    for (var record : response.records()) {
                        seen.add(record.data().asUtf8String());
                        total++;
                    }
                    if (response.records().isEmpty()) {
                        break;
                    }
                    iterator = response.nextShardIterator();
                }
            }
            kinesis.deleteStream(r -> r.streamName(stream));
        }
        assertThat(total).as(who + ": records on the stream").isEqualTo(records.size());
        assertThat(seen).as(who + ": distinct records on the stream").hasSize(records.size());
    }

    private String freshStream() {
        var name = "bench-clicks-" + UUID.randomUUID().toString().substring(0, 8);
        try (var kinesis = aws.kinesis()) {
            kinesis.createStream(r -> r.streamName(name).shardCount(2));
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> kinesis.describeStreamSummary(r -> r.streamName(name))
                                    .streamDescriptionSummary()
                                    .streamStatus()
                            == StreamStatus.ACTIVE);
        }
        return name;
    }

    private static List<OutgoingRecord> records(int round) {
        var records = new ArrayList<OutgoingRecord>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            var session = "s-" + (i % SESSIONS);
            var json = """
                    {"clickId":"%s","sessionId":"%s","userId":"u-%d","page":"/products/%d","referrer":"/","at":"2026-11-22T10:15:30Z","round":%d}""".formatted(UUID.randomUUID(), session, i % 997, i % 50, round);
            records.add(new OutgoingRecord(session, json.getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    private KinesisClient client(PutRecordsCounter counter) {
        return aws.configure(KinesisClient.builder(), AwsService.KINESIS)
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build();
    }

    /** Counts PutRecords calls and the entries they carried (retried entries count again). */
    private static final class PutRecordsCounter implements ExecutionInterceptor {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong records = new AtomicLong();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutRecordsRequest request) {
                calls.incrementAndGet();
                records.addAndGet(request.records().size());
            }
        }
    }
}
