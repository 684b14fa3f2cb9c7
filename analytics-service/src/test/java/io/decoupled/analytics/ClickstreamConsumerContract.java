package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.analytics.support.AnalyticsEnvironment;
import io.decoupled.analytics.support.AnalyticsEnvironment.Click;
import io.decoupled.analytics.support.AnalyticsEnvironment.Put;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.localaws.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The clickstream consumer's promises, the same on every backend (one subclass per broker): every click is counted
 * exactly once and in session order, also when a record is delivered twice; poison records are set aside with their
 * reason and position while the good ones around them are counted, and the checkpoint (a KCL checkpoint, a committed
 * offset) passes them; a reader added and one stopped during consumption (a lease moving, a rebalance) lose and
 * double-count nothing; while the database is away nothing is set aside or checkpointed, a stop ends the retries,
 * and everything counts once when it is back. Readers are whole analytics applications (the queue listeners off) in one consumer group,
 * on a stream or topic and a database of the test class's own.
 */
abstract class ClickstreamConsumerContract {
    private final Map<String, ConfigurableApplicationContext> readers = new LinkedHashMap<>();
    final String run = "c" + UUID.randomUUID().toString().substring(0, 6);

    /** The test class's environment: its database (and, for Kinesis, its stream and lease table). */
    abstract AnalyticsEnvironment env();

    /** Everything a reader named {@code name} needs beyond {@link AnalyticsEnvironment#properties()}: the backend's settings. */
    abstract Map<String, String> backendProperties(String name);

    /** Writes the records as click-ingest does (key = session), in order, and returns where each landed. */
    abstract List<Put> put(List<Click> clicks);

    /** The readers that hold a part of the stream now (lease owners; members with assigned partitions). */
    abstract Set<String> activeReaders(Map<String, ConfigurableApplicationContext> readers);

    /** Whether the group's checkpoint for the record's shard or partition has passed it. */
    abstract boolean checkpointPassed(Put record);

    @AfterEach
    void stopReaders() {
        readers.values().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void everyClickIsCountedExactlyOnceAndInSessionOrderEvenWhenDeliveredTwice() {
        start("a");
        var clicks = new ArrayList<>(AnalyticsEnvironment.clicks(run, 100, 20, Instant.now()));
        put(clicks.subList(0, 1000));
        // A producer retry that wrote records twice: the same clicks (same ids) again, after the originals.
        put(clicks.subList(0, 50));
        put(clicks.subList(1000, clicks.size()));

        awaitCounted(run, 2000);
        assertThat(outOfOrder(run))
                .as("clicks older than their session's latest")
                .isZero();
        assertThat(jdbc().queryForObject(
                                "select count(*) from session_activity where session_id like ?",
                                Long.class,
                                run + "-%"))
                .isEqualTo(100);
    }

    @Test
    void poisonRecordsAreSetAsideWithTheirReasonWhileTheGoodOnesAreCountedAndTheCheckpointPassesThem() {
        start("a");
        var start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var good = AnalyticsEnvironment.clicks(run, 20, 10, start);
        var poisonSession = run + "-p";
        var poison = List.of(
                new Click(poisonSession, "not json at all {"),
                new Click(poisonSession, "{\"sessionId\":\"" + poisonSession + "\",\"page\":\"/x\"}"),
                new Click(
                        poisonSession,
                        AnalyticsEnvironment.click(
                                UUID.randomUUID(),
                                poisonSession,
                                "/" + run + "/far",
                                Instant.parse("+300000-01-01T00:00:00Z"))),
                // Readable and plausible, but PostgreSQL refuses NUL in text (SQLState 22021): found only by the
                // insert, isolated by bisection.
                new Click(
                        poisonSession,
                        AnalyticsEnvironment.click(
                                UUID.randomUUID(), poisonSession, "/" + run + "/nul\\u0000", start)));
        var records = new ArrayList<Click>(good.subList(0, 100));
        records.addAll(poison);
        records.addAll(good.subList(100, good.size()));
        var puts = put(records);
        var poisonPuts = puts.subList(100, 104);

        awaitCounted(run + "-s", 200);
        assertThat(jdbc().queryForList(
                                "select reason from rejected_record where partition_key = ?",
                                String.class,
                                poisonSession))
                .satisfiesExactlyInAnyOrder(
                        reason -> assertThat(reason).startsWith("not a click"),
                        reason -> assertThat(reason).isEqualTo("no clickId"),
                        reason -> assertThat(reason)
                                .contains("timestamp out of range")
                                .contains("+300000"),
                        reason -> assertThat(reason).contains("[22021]").doesNotContain("\u0000"));
        assertThat(jdbc().queryForList(
                                "select shard_id || ' ' || sequence_number from rejected_record where partition_key = ?",
                                String.class,
                                poisonSession))
                .as("set aside under their position on the stream")
                .containsExactlyInAnyOrderElementsOf(poisonPuts.stream()
                        .map(p -> p.shardId() + " " + p.sequenceNumber())
                        .toList());
        assertThat(jdbc().queryForObject(
                                "select count(*) from rejected_record where partition_key = ? and data is not null",
                                Long.class,
                                poisonSession))
                .isEqualTo(4);

        // The shard or partition moves on: a later click of the same session is counted, and the checkpoint passes it.
        var later = put(List.of(new Click(
                        poisonSession,
                        AnalyticsEnvironment.click(
                                UUID.randomUUID(), poisonSession, "/" + run + "/later", start.plusSeconds(60)))))
                .getFirst();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(counted(poisonSession)).isEqualTo(1);
                    assertThat(checkpointPassed(later))
                            .as("checkpoint past %s", later)
                            .isTrue();
                });
        assertThat(outOfOrder(run)).isZero();
    }

    @Test
    void aReaderAddedAndOneStoppedDuringConsumptionLoseAndDoubleCountNothing() {
        start("a");
        put(AnalyticsEnvironment.clicks(run + "-1", 100, 10, Instant.now()));
        // A second reader joins while the first is consuming: the stream is split between them.
        start("b");
        put(AnalyticsEnvironment.clicks(run + "-2", 100, 10, Instant.now()));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(counted(run + "-1")).isEqualTo(1000);
                    assertThat(counted(run + "-2")).isEqualTo(1000);
                    assertThat(activeReaders(readers))
                            .as("readers holding a part of the stream")
                            .containsExactlyInAnyOrder("a", "b");
                });

        // One of them stops while records keep coming: its part moves to the other, which resumes from the checkpoint.
        put(AnalyticsEnvironment.clicks(run + "-3", 100, 5, Instant.now()));
        readers.remove("b").close();
        put(AnalyticsEnvironment.clicks(run + "-4", 100, 5, Instant.now()));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(activeReaders(readers))
                            .as("readers holding a part of the stream")
                            .containsExactly("a");
                    assertThat(counted(run + "-3")).isEqualTo(500);
                    assertThat(counted(run + "-4")).isEqualTo(500);
                });
        awaitCounted(run + "-1", 1000);
        awaitCounted(run + "-2", 1000);
        assertThat(outOfOrder(run)).isZero();
        assertThat(jdbc().queryForObject(
                                "select count(*) from rejected_record where partition_key like ?",
                                Long.class,
                                run + "%"))
                .isZero();
    }

    @Test
    void whileTheDatabaseIsAwayNothingIsSetAsideOrCheckpointedAndAStopEndsTheRetriesAndEverythingCountsOnceLater()
            throws Exception {
        try (var database = new TcpProxy(LocalPostgres.shared().port())) {
            var throughProxy = Map.of(
                    "spring.datasource.url",
                    "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + env().database(),
                    "spring.datasource.hikari.connection-timeout",
                    "1000");
            var first = start("a", throughProxy);
            var start = Instant.now();
            put(AnalyticsEnvironment.clicks(run, 50, 4, start));
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> countedDirectly(run) == 200);

            var failures = first.getBean(MeterRegistry.class)
                    .get("analytics.clicks.store_failures")
                    .counter();
            double failuresBefore = failures.count();
            database.cut();
            var during = put(AnalyticsEnvironment.clicks(run, 50, 6, start.plusSeconds(4)));
            var last = during.getLast();
            // Retrying, not skipping: store failures climb while nothing new is counted or checkpointed.
            await().atMost(Duration.ofSeconds(90)).until(() -> failures.count() > failuresBefore + 3);
            assertThat(countedDirectly(run)).isEqualTo(200);
            assertThat(checkpointPassed(last))
                    .as("checkpoint past a record not applied")
                    .isFalse();

            // The service stops while the database is still away: the stop ends the retries, and checkpoints nothing.
            var stopping = readers.remove("a");
            var closing = CompletableFuture.runAsync(stopping::close);
            await().atMost(Duration.ofSeconds(90)).until(closing::isDone);
            assertThat(checkpointPassed(last))
                    .as("checkpoint past a record not applied, after the stop")
                    .isFalse();

            database.restore();
            start("b", throughProxy);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> countedDirectly(run) == 500);
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> countedDirectly(run) == 500);
            assertThat(jdbc().queryForObject("select count(*) from rejected_record", Long.class))
                    .as("an outage is not poison")
                    .isZero();
            assertThat(outOfOrder(run)).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> checkpointPassed(last));
        }
    }

    /** Straight to the database, not through a reader (which may be cut off from it). */
    private long countedDirectly(String prefix) throws SQLException {
        try (var c = DriverManager.getConnection(
                        LocalPostgres.shared().jdbcUrl(env().database()), "postgres", "postgres");
                var statement = c.prepareStatement(
                        "select coalesce(sum(clicks), 0) from session_activity where session_id like ?")) {
            statement.setString(1, prefix + "-%");
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException tableNotThereYet) {
            if ("42P01".equals(tableNotThereYet.getSQLState())) {
                return 0;
            }
            throw tableNotThereYet;
        }
    }

    ConfigurableApplicationContext start(String name) {
        return start(name, Map.of());
    }

    /** Starts a reader: the whole application, configured by arguments as a deployment would be. */
    ConfigurableApplicationContext start(String name, Map<String, String> overrides) {
        var properties = new LinkedHashMap<String, String>(env().properties());
        properties.putAll(backendProperties(name));
        properties.putAll(overrides);
        properties.put("server.port", "0");
        // This contract is about the clickstream; the queue listeners stay off.
        properties.put("spring.cloud.aws.sqs.enabled", "false");
        var args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        var context = new SpringApplicationBuilder(AnalyticsApplication.class).run(args);
        readers.put(name, context);
        return context;
    }

    private JdbcTemplate jdbc() {
        return readers.values().iterator().next().getBean(JdbcTemplate.class);
    }

    long counted(String sessionPrefix) {
        return jdbc().queryForObject(
                        "select coalesce(sum(clicks), 0) from session_activity where session_id like ?",
                        Long.class,
                        sessionPrefix + "%");
    }

    private long outOfOrder(String sessionPrefix) {
        return jdbc().queryForObject(
                        "select coalesce(sum(out_of_order), 0) from session_activity where session_id like ?",
                        Long.class,
                        sessionPrefix + "%");
    }

    /** Waits for the count, then checks that it stays there: nothing is counted twice later. */
    void awaitCounted(String sessionPrefix, long expected) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(counted(sessionPrefix)).isEqualTo(expected));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> counted(sessionPrefix) == expected);
    }
}
