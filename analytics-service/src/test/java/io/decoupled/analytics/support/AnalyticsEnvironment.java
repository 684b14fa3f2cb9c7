package io.decoupled.analytics.support;

import static org.awaitility.Awaitility.await;

import io.decoupled.analytics.AnalyticsApplication;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.localaws.SharedAwsEnvironments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Test fixture: each test class gets a stream, a consumer group (lease table) and a database of its own on
 * the shared emulators, so classes cannot see each other's records, leases or counters.
 */
public final class AnalyticsEnvironment {
    private final LocalAws aws;
    private final KinesisClient kinesis;
    private final String name;
    private final String stream;

    public AnalyticsEnvironment(String purpose, int shards) {
        this(SharedAwsEnvironments.embedded(), purpose, shards);
    }

    /** On emulators of the caller's own (a test that takes an emulator down must not disturb the shared ones). */
    public AnalyticsEnvironment(LocalAws aws, String purpose, int shards) {
        this.aws = aws;
        this.kinesis = aws.kinesis();
        this.name = purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
        this.stream = "clicks-" + name.replace('_', '-');
        kinesis.createStream(r -> r.streamName(stream).shardCount(shards));
        kinesis.waiter().waitUntilStreamExists(r -> r.streamName(stream));
    }

    public String stream() {
        return stream;
    }

    /** The KCL application name, which is also the lease table's name. */
    public String application() {
        return "analytics-" + name.replace('_', '-');
    }

    public LocalAws aws() {
        return aws;
    }

    public KinesisClient kinesis() {
        return kinesis;
    }

    /**
     * AWS endpoints, a database of its own, this stream and consumer group, and KCL intervals in seconds
     * instead of the defaults' tens of seconds: plain configuration properties, as any deployment could set.
     */
    public Map<String, String> properties() {
        var props = new LinkedHashMap<String, String>(aws.springProperties());
        props.putAll(LocalPostgres.shared().springProperties(database()));
        props.put("analytics.kcl.application-name", application());
        props.put("analytics.kcl.stream", stream);
        props.put("analytics.kcl.failover-time", "3s");
        props.put("analytics.kcl.lease-assignment-interval", "1s");
        props.put("analytics.kcl.leader-lock-duration", "6s");
        props.put("analytics.kcl.leader-heartbeat", "1s");
        props.put("analytics.kcl.shard-sync-interval", "2s");
        props.put("analytics.kcl.worker-metrics-report-interval", "1s");
        props.put("analytics.kcl.parent-shard-poll-interval", "500ms");
        props.put("analytics.kcl.dispatch-poll-interval", "200ms");
        props.put("analytics.kcl.idle-time-between-reads", "200ms");
        props.put("analytics.kcl.shutdown-timeout", "10s");
        // As on one machine (application-local.yml): the leases are created at once, not after the KCL's random wait.
        props.put("analytics.kcl.seed-leases", "true");
        return props;
    }

    /** A contract-shaped clickstream record (docs/contracts.md). */
    public static String click(UUID clickId, String session, String page, Instant timestamp) {
        return "{\"clickId\":\"" + clickId + "\",\"sessionId\":\"" + session + "\",\"page\":\"" + page
                + "\",\"timestamp\":\"" + timestamp + "\",\"receivedAt\":\"" + Instant.now() + "\"}";
    }

    public record Click(String sessionId, String data) {}

    /** Writes records as click-ingest does: partition key = session, PutRecords of up to 500. */
    public void put(List<Click> clicks) {
        for (int from = 0; from < clicks.size(); from += 500) {
            var entries = clicks.subList(from, Math.min(clicks.size(), from + 500)).stream()
                    .map(c -> PutRecordsRequestEntry.builder()
                            .partitionKey(c.sessionId())
                            .data(SdkBytes.fromUtf8String(c.data()))
                            .build())
                    .toList();
            var response = kinesis.putRecords(r -> r.streamName(stream).records(entries));
            if (response.failedRecordCount() > 0) {
                throw new IllegalStateException(response.failedRecordCount() + " records not written");
            }
        }
    }

    /** One record on the stream: its shard and sequence number. */
    public record Put(String shardId, String sequenceNumber) {}

    /** Like {@link #put}, in one PutRecords call (at most 500), returning where each record landed. */
    public List<Put> putOnce(List<Click> clicks) {
        var entries = clicks.stream()
                .map(c -> PutRecordsRequestEntry.builder()
                        .partitionKey(c.sessionId())
                        .data(SdkBytes.fromUtf8String(c.data()))
                        .build())
                .toList();
        var response = kinesis.putRecords(r -> r.streamName(stream).records(entries));
        if (response.failedRecordCount() > 0) {
            throw new IllegalStateException(response.failedRecordCount() + " records not written");
        }
        return response.records().stream()
                .map(r -> new Put(r.shardId(), r.sequenceNumber()))
                .toList();
    }

    /** The database name of this environment (on the shared embedded PostgreSQL). */
    public String database() {
        return name.toLowerCase();
    }

    /** {@code sessions} sessions with {@code perSession} clicks each, timestamps increasing within a session. */
    public static List<Click> clicks(String prefix, int sessions, int perSession, Instant start) {
        var clicks = new ArrayList<Click>();
        for (int step = 0; step < perSession; step++) {
            for (int s = 0; s < sessions; s++) {
                var session = prefix + "-s" + s;
                clicks.add(new Click(
                        session,
                        click(
                                UUID.randomUUID(),
                                session,
                                "/" + prefix + "/page-" + (step % 5),
                                start.plusSeconds(step))));
            }
        }
        return clicks;
    }

    /** The lease table: shard id to lease owner and checkpoint. */
    public Map<String, Map<String, String>> leases() {
        try (var dynamo = aws.dynamoDb()) {
            var leases = new HashMap<String, Map<String, String>>();
            for (var item : dynamo.scan(r -> r.tableName(application()).consistentRead(true))
                    .items()) {
                // Since KCL 3.5 the lease table also holds the leader lock, the migration state and worker metrics
                // (entityType LEADER, CLIENT_VERSION_MIGRATION, WORKER_METRIC_STATS); only LEASE items are leases.
                if (item.containsKey("entityType")
                        && !"LEASE".equals(item.get("entityType").s())) {
                    continue;
                }
                var lease = new HashMap<String, String>();
                item.forEach((k, v) -> lease.put(k, string(v)));
                leases.put(lease.get("leaseKey"), lease);
            }
            return leases;
        } catch (ResourceNotFoundException noLeaseTableYet) {
            return Map.of();
        }
    }

    /** The worker holding the KCL's leader lock (it runs lease assignment), or null. KCL 3.5 keeps it in the lease table. */
    public String leader() {
        try (var dynamo = aws.dynamoDb()) {
            return dynamo.scan(r -> r.tableName(application()).consistentRead(true)).items().stream()
                    .filter(i -> i.containsKey("entityType")
                            && "LEADER".equals(i.get("entityType").s())
                            && i.containsKey("ownerName"))
                    .map(i -> i.get("ownerName").s())
                    .findFirst()
                    .orElse(null);
        } catch (ResourceNotFoundException noLeaseTableYet) {
            return null;
        }
    }

    private static String string(AttributeValue v) {
        if (v.s() != null) {
            return v.s();
        }
        if (v.n() != null) {
            return v.n();
        }
        return v.hasSs() ? String.join(",", v.ss()) : String.valueOf(v);
    }

    /**
     * analytics-service in a JVM of its own, configured only by {@code arguments} and the SDK's environment variables
     * (so that a test can kill it by SIGKILL); returns once its log shows {@code readyLine}.
     */
    public Process startProcess(Map<String, String> arguments, String readyLine) throws IOException {
        Path log = Files.createTempFile("analytics-child-", ".log");
        var process = launchProcess(arguments, log);
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the child JVM exited early:\n" + tail(log));
            }
            return tail(log).contains(readyLine);
        });
        return process;
    }

    /** analytics-service in a JVM of its own, as {@link #startProcess}, without waiting for anything; output to {@code log}. */
    public Process launchProcess(Map<String, String> arguments, Path log) throws IOException {
        var command = new ArrayList<String>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                AnalyticsApplication.class.getName()));
        arguments.forEach((k, v) -> command.add("--" + k + "=" + v));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(aws.environment());
        var process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private static String tail(Path log) {
        try {
            var text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
