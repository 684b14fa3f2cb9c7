package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.analytics.support.AnalyticsEnvironment;
import io.decoupled.analytics.support.PacedProducer;
import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.LocalAws;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Kinesis and DynamoDB endpoints unreachable for a while under load, then back with their data: kinesalite
 * (the stream) and dynalite (the KCL's lease table) are killed by SIGKILL and restarted on the same port with
 * their LevelDB directories, on emulators of this class's own. Clicks keep being produced throughout (a failed
 * PutRecords is retried, as click-ingest does). The KCL must ride out both outages: keep or retake its leases,
 * resume from its checkpoints, and count every accepted click exactly once, with nothing set aside. On emulators of
 * its own, so it runs beside the module's other classes.
 */
@Execution(ExecutionMode.CONCURRENT)
class KinesisEmulatorRestartIT {
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final int CLICKS = 400;

    static LocalAws aws;
    static AnalyticsEnvironment env;
    static ConfigurableApplicationContext worker;

    @BeforeAll
    static void start() {
        aws = LocalAws.builder()
                .services(AwsService.KINESIS, AwsService.DYNAMODB)
                .withoutTopology()
                .persistent()
                .start();
        System.setProperty("aws.cborEnabled", "false");
        env = new AnalyticsEnvironment(aws, "restart", 2);
        var properties = new HashMap<>(env.properties());
        properties.put("analytics.kcl.worker-id", "worker");
        properties.put("server.port", "0");
        properties.put("spring.cloud.aws.sqs.enabled", "false");
        worker = new SpringApplicationBuilder(AnalyticsApplication.class)
                .run(properties.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
        // The first lease sync on an empty lease table waits up to 30 s (a KCL constant).
        await().atMost(Duration.ofSeconds(90))
                .until(() -> env.leases().size() == 2
                        && env.leases().values().stream().allMatch(l -> "worker".equals(l.get("leaseOwner"))));
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD) // one emulator down at a time: the methods run one after the other
    void kinesaliteUnreachableUnderLoadThenBackLosesNoClickAndCountsNoneTwice() {
        rideOut(AwsService.KINESIS, "kin");
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void dynaliteUnreachableUnderLoadThenBackLetsTheKclRetakeItsLeasesAndResumeFromItsCheckpoints() {
        rideOut(AwsService.DYNAMODB, "dyn");
    }

    private void rideOut(AwsService service, String name) {
        var run = name + UUID.randomUUID().toString().substring(0, 6);
        double duplicatesBefore =
                meters().get("analytics.clicks.duplicates").counter().count();
        long started = System.nanoTime();
        try (var producer = new PacedProducer(
                env, AnalyticsEnvironment.clicks(run, 20, CLICKS / 20, Instant.now()), 10, Duration.ofMillis(100))) {
            // Under load: clicks are being written and counted when the endpoint goes away.
            await().atMost(Duration.ofSeconds(60)).until(() -> producer.written() >= CLICKS / 4 && counted(run) > 0);
            aws.takeDown(service);
            try {
                // While it is away nothing is counted that was not accepted.
                await().during(OUTAGE).atMost(OUTAGE.plusSeconds(10)).until(() -> counted(run) <= producer.written());
            } finally {
                aws.bringBack(service);
            }
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> producer.done() && counted(run) == CLICKS);
            // And it stays there: nothing counted twice later, nothing set aside.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).until(() -> counted(run) == CLICKS);
            assertThat(countedByPage(run)).as("the page counters agree").isEqualTo(CLICKS);
            assertThat(rejected()).isZero();
            // The KCL holds every lease again, and its checkpoints reach the last click of each shard.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        var leases = env.leases();
                        assertThat(leases).hasSize(2);
                        assertThat(leases.values()).allMatch(l -> "worker".equals(l.get("leaseOwner")));
                        producer.lastSequenceByShard()
                                .forEach((shard, last) -> assertThat(
                                                new BigInteger(leases.get(shard).get("checkpoint")))
                                        .as("checkpoint of " + shard)
                                        .isGreaterThanOrEqualTo(last));
                    });
            if (service == AwsService.KINESIS) {
                assertThat(producer.failedAttempts())
                        .as("the producer met the outage")
                        .isPositive();
            }
            System.out.printf(
                    "%s taken down for %d s under load: %d clicks counted once, %d PutRecords attempts failed, %.0f redeliveries absorbed,"
                            + " %.1f s from the first click to the checkpoints%n",
                    service,
                    OUTAGE.toSeconds(),
                    CLICKS,
                    producer.failedAttempts(),
                    meters().get("analytics.clicks.duplicates").counter().count() - duplicatesBefore,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    private static MeterRegistry meters() {
        return worker.getBean(MeterRegistry.class);
    }

    private static long counted(String run) {
        return worker.getBean(JdbcTemplate.class)
                .queryForObject(
                        "select coalesce(sum(clicks), 0) from session_activity where session_id like ?",
                        Long.class,
                        run + "-%");
    }

    private static long countedByPage(String run) {
        return worker.getBean(JdbcTemplate.class)
                .queryForObject(
                        "select coalesce(sum(clicks), 0) from page_minute where page like ?",
                        Long.class,
                        "/" + run + "/%");
    }

    private static long rejected() {
        return worker.getBean(JdbcTemplate.class).queryForObject("select count(*) from rejected_record", Long.class);
    }
}
