package io.decoupled.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.OperatingSystemMXBean;
import io.decoupled.localaws.BenchmarkReport;
import io.decoupled.localaws.CpuPlacement;
import io.decoupled.localaws.JitCompilation;
import io.decoupled.localaws.ProcessCpu;
import io.decoupled.order.OrderServiceITSupport;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/**
 * Benchmark (profile {@code benchmark}, docs/benchmarks.md): the relay draining a backlog against a raw PublishBatch
 * loop with the same concurrency, same messages, same emulator, rounds alternating which goes first; the median ratio
 * is reported. Also the commit-to-SNS latency of single orders. Fails only when the relay leaves an event unpublished
 * or the raw loop gets a failed entry.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class OutboxRelayBenchmarkIT extends OrderServiceITSupport {
    private static final int EVENTS = Integer.getInteger("benchmark.events", 4000);
    private static final int THREADS = 2; // the relay's default worker count
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 4);
    /**
     * Warm-up cycles at most, twice the default: the relay's path (JDBC, the attribute parser, the lanes) was still
     * compiling half of the time and more after six cycles (run 21), on both sides, and its JVM's cost per event
     * still falling from round to round.
     */
    private static final int MAX_WARM_UPS = 2 * JitCompilation.MAX_WARM_UPS;
    /** Events each warm-up measurement relays, at least: the JIT settles after a number of events, not of cycles. */
    private static final int WARM_UP_EVENTS = Math.max(EVENTS, 20_000);

    @Autowired
    OutboxRepository repository;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    OutboxRelay relay;

    @Autowired
    MeterRegistry meters;

    /** PostgreSQL's postmaster: its backends and autovacuum workers are its children. */
    private Optional<ProcessHandle> database = Optional.empty();

    @Test
    void relayThroughputAgainstARawPublishBatchLoop() throws Exception {
        // PostgreSQL is a server too (RDS in AWS): its postmaster, whose backends are forked from it.
        long backend = jdbc.sql("select pg_backend_pid()").query(Long.class).single();
        database = ProcessHandle.of(backend).flatMap(ProcessHandle::parent);
        CpuPlacement.apply(database.stream().toList());
        var ratios = new ArrayList<Double>();
        var rawRates = new ArrayList<Double>();
        var relayRates = new ArrayList<Double>();
        var rawCpu = new ArrayList<String>();
        var relayCpu = new ArrayList<String>();
        var relayDatabaseCpu = new ArrayList<Double>();
        int warmUps = warmUp();
        for (int round = 0; round < ROUNDS; round++) {
            Run raw;
            Run relayed;
            // Alternate which side goes first, so neither always meets a fuller emulator.
            if (round % 2 == 0) {
                purge();
                raw = rawLoop(EVENTS);
                purge();
                relayed = relay(EVENTS);
            } else {
                purge();
                relayed = relay(EVENTS);
                purge();
                raw = rawLoop(EVENTS);
            }
            rawRates.add(raw.rate());
            relayRates.add(relayed.rate());
            ratios.add(relayed.rate() / raw.rate());
            rawCpu.add(raw.cpu());
            relayCpu.add(relayed.cpu());
            relayDatabaseCpu.add(relayed.databaseMicros());
            System.out.printf(
                    "outbox-relay round %d: raw PublishBatch loop %.0f msg/s, outbox relay %.0f msg/s, ratio %.3f;"
                            + " CPU µs per event (this JVM + PostgreSQL + emulators): raw %s, relay %s%n",
                    round, raw.rate(), relayed.rate(), relayed.rate() / raw.rate(), raw.cpu(), relayed.cpu());
        }
        purge();
        var details = new LinkedHashMap<String, Object>();
        details.put("events", EVENTS);
        details.put("threads", THREADS);
        details.put("warmUpCycles", warmUps);
        details.put("rawMsgPerSec", rawRates);
        details.put("relayMsgPerSec", relayRates);
        details.put("ratios", ratios);
        details.put("rawCpuMicrosPerEvent", rawCpu);
        details.put("relayCpuMicrosPerEvent", relayCpu);
        details.put("relayDatabaseCpuMicrosPerEventMedian", BenchmarkReport.median(relayDatabaseCpu));
        BenchmarkReport.atLeast("outbox-relay-throughput", "ratio", BenchmarkReport.median(ratios), 0.9, details);
    }

    /** Commit-to-SNS-acceptance latency of single orders placed one after another (the wake-up path, no backlog). */
    @Test
    void publishLatencyOfSingleOrders() {
        var ids = new ArrayList<String>();
        for (int i = 0; i < 300; i++) {
            ids.add(placeOrder("bench-" + UUID.randomUUID(), "DIGITAL", "10.00"));
        }
        await().atMost(Duration.ofMinutes(2))
                .until(() -> jdbc.sql(
                                        "select count(*) from outbox_status where state <> 'PUBLISHED' and aggregate_id in (:ids)")
                                .param("ids", ids)
                                .query(Long.class)
                                .single()
                        == 0);
        var row = jdbc.sql("""
                        select percentile_cont(0.5) within group (order by ms), percentile_cont(0.99) within group (order by ms), max(ms)
                        from (select extract(epoch from published_at - created_at) * 1000 as ms from outbox_status where aggregate_id in (:ids)) l""")
                .param("ids", ids)
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)})
                .single();
        purge();
        BenchmarkReport.info(
                "outbox-publish-latency",
                "p50Ms",
                row[0],
                Map.of("orders", ids.size(), "p99Ms", row[1], "maxMs", row[2]));
    }

    /**
     * Unmeasured rounds of both sides until the JIT has settled ({@link JitCompilation#settled}): without one, the C2 compiler took half a core or more through every
     * round (run 17), and the raw loop's rate was still doubling from the first round to the last. Returns the rounds
     * run.
     */
    private int warmUp() throws Exception {
        for (int cycle = 1; ; cycle++) {
            purge();
            long compiled = JitCompilation.millis();
            double raw = rawLoop(WARM_UP_EVENTS).rate();
            double rawShare = JitCompilation.shareSince(compiled, WARM_UP_EVENTS / raw);
            purge();
            compiled = JitCompilation.millis();
            double relayed = relay(WARM_UP_EVENTS).rate();
            double relayShare = JitCompilation.shareSince(compiled, WARM_UP_EVENTS / relayed);
            System.out.printf(
                    "outbox-relay warm-up %d: raw PublishBatch loop %.0f msg/s, outbox relay %.0f msg/s, JIT compiling"
                            + " %.0f%% / %.0f%% of the time%n",
                    cycle, raw, relayed, rawShare * 100, relayShare * 100);
            if (JitCompilation.settled(cycle, Math.max(rawShare, relayShare), MAX_WARM_UPS)) {
                return cycle;
            }
        }
    }

    private Run rawLoop(int events) throws Exception {
        var topicArn = aws().topology().topicArn(Topology.ORDER_EVENTS);
        var cpu = cpuNow();
        long start = System.nanoTime();
        try (var sns = aws().sns();
                var executor = Executors.newFixedThreadPool(THREADS)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(executor.submit(() -> {
                    for (int sent = 0; sent < events / THREADS; sent += 10) {
                        var entries = new ArrayList<PublishBatchRequestEntry>();
                        for (int i = 0; i < 10; i++) {
                            var id = UUID.randomUUID().toString();
                            entries.add(PublishBatchRequestEntry.builder()
                                    .id(id)
                                    .message(payload(id))
                                    .messageAttributes(rawAttributes())
                                    .build());
                        }
                        var response =
                                sns.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(entries));
                        assertThat(response.failed())
                                .as("raw PublishBatch failures")
                                .isEmpty();
                    }
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
        // The time first: reading the processes' CPU takes a few milliseconds of its own.
        double seconds = seconds(start);
        return cpuNow().since(cpu, events, seconds);
    }

    private Run relay(int events) {
        var batch = "bench-" + UUID.randomUUID();
        var published = meters.get("outbox.published").counter();
        // Read before the rows exist: the relay polls by itself too, and may start on them before the wake-up below.
        double before = published.count();
        // The position of the batch's last row, read in the transaction that wrote it (by the primary key): the relay
        // is done when its position has passed it.
        var last = new TransactionTemplate(transactionManager).execute(status -> {
            for (int i = 0; i < events; i++) {
                var id = UUID.randomUUID();
                repository.insert(new OutboxMessage(
                        id,
                        batch,
                        "OrderPlaced",
                        payload(id.toString()),
                        Map.of(
                                "eventType", OutboxMessage.Attribute.string("OrderPlaced"),
                                "fulfillment", OutboxMessage.Attribute.string("DIGITAL"),
                                "total", OutboxMessage.Attribute.number(new BigDecimal("10.00")),
                                "country", OutboxMessage.Attribute.string("DE"))));
            }
            return jdbc.sql("select tx::text, id from outbox where id = (select max(id) from outbox)")
                    .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                    .single();
        });
        var cpu = cpuNow();
        long start = System.nanoTime();
        relay.wakeUp();
        // The relay's own count of accepted events is read in memory; polling the table instead scanned it (every
        // row of every round, no index on aggregate_id) every 20 ms, on the cores the relay and PostgreSQL share.
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(2))
                .until(() -> published.count() - before >= events);
        // It counts before the position moves, so the measurement ends when the position has passed the last row: one
        // row to read, where counting the batch's pending rows scanned the whole table (run 21).
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(2))
                .until(() -> jdbc.sql("select (tx, last_id) >= (cast(? as xid8), ?) from outbox_position")
                        .params(last[0], Long.parseLong(last[1]))
                        .query(Boolean.class)
                        .single());
        // The time first: reading the processes' CPU takes a few milliseconds of its own.
        double seconds = seconds(start);
        var run = cpuNow().since(cpu, events, seconds);
        // Outside the measurement: every event of the batch published, none set aside or parked.
        assertThat(jdbc.sql("select count(*) from outbox_status where aggregate_id = ? and state <> 'PUBLISHED'")
                        .param(batch)
                        .query(Long.class)
                        .single())
                .as("events of the batch not published")
                .isZero();
        return run;
    }

    /**
     * One side's measurement: events per second, and the CPU it cost per event, in microseconds, of this JVM (the
     * relay or the raw loop, and the benchmark's own waiting), of PostgreSQL (every process of its server, the
     * backends and autovacuum workers that ended meanwhile included) and of the emulators the build started (children
     * of this JVM; only SNS is busy). The relay's extra work is in the first two; with the servers on a core of their
     * own, PostgreSQL and the SNS emulator share it.
     */
    private record Run(double rate, double clientMicros, double databaseMicros, double emulatorMicros) {
        String cpu() {
            return String.format(Locale.ROOT, "%.0f+%.0f+%.0f", clientMicros, databaseMicros, emulatorMicros);
        }
    }

    private record CpuTimes(long clientNanos, long databaseNanos, long emulatorNanos) {
        Run since(CpuTimes start, int events, double seconds) {
            return new Run(
                    events / seconds,
                    (clientNanos - start.clientNanos) / 1e3 / events,
                    (databaseNanos - start.databaseNanos) / 1e3 / events,
                    (emulatorNanos - start.emulatorNanos) / 1e3 / events);
        }
    }

    private CpuTimes cpuNow() {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long databasePid = database.map(ProcessHandle::pid).orElse(-1L);
        return new CpuTimes(
                os.getProcessCpuTime(),
                database.map(ProcessCpu::ofTree).orElse(Duration.ZERO).toNanos(),
                ProcessCpu.ofTrees(ProcessHandle.current().children().filter(p -> p.pid() != databasePid))
                        .toNanos());
    }

    private static String payload(String id) {
        return """
                {"eventId":"%s","eventType":"OrderPlaced","orderId":"%s","customerId":"bench","fulfillment":"DIGITAL","country":"DE",\
                "currency":"EUR","total":10.00,"lines":[{"sku":"BOOK-1","quantity":1,"unitPrice":10.00}],"occurredAt":"2026-01-01T00:00:00Z"}""".formatted(id, id);
    }

    private static Map<String, MessageAttributeValue> rawAttributes() {
        return Map.of(
                "eventType",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("OrderPlaced")
                                .build(),
                "fulfillment",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("DIGITAL")
                                .build(),
                "total",
                        MessageAttributeValue.builder()
                                .dataType("Number")
                                .stringValue("10.00")
                                .build(),
                "country",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("DE")
                                .build());
    }

    private static void purge() {
        try (var sqs = aws().sqs()) {
            for (var queue : List.of(Topology.ANALYTICS_ORDERS, Topology.SHIPPING_ORDERS, Topology.ORDER_REVIEW)) {
                sqs.purgeQueue(r -> r.queueUrl(aws().topology().queueUrl(queue)));
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
