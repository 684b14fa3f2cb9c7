package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.analytics.support.AnalyticsEnvironment;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two analytics instances in one consumer group share the clickstream's shards through KCL leases. When one
 * stops, its leases move to the other, which resumes each shard from its checkpoint: every click is counted
 * exactly once, and none is even delivered twice.
 */
class LeaseFailoverIT {
    private final AnalyticsEnvironment env = new AnalyticsEnvironment("failover", 2);
    private final Map<String, ConfigurableApplicationContext> workers = new HashMap<>();
    private final String run = "r" + UUID.randomUUID().toString().substring(0, 6);

    @AfterEach
    void stopWorkers() {
        workers.values().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void stoppingAWorkerMovesItsLeasesToTheOtherWhichContinuesFromTheCheckpoint() {
        start("worker-a");
        start("worker-b");
        env.put(AnalyticsEnvironment.clicks(run + "-1", 100, 10, Instant.now()));

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(counted(run + "-1")).isEqualTo(1000);
                    // The leader's lease assignment balances by throughput: one shard each once both carry load.
                    assertThat(owners().values()).as("lease owners").containsExactlyInAnyOrder("worker-a", "worker-b");
                });

        // Stop the worker that is not the leader: the leader's lease assignment reassigns the released leases.
        var leader = env.leader();
        var stopping = workers.keySet().stream()
                .filter(w -> !w.equals(leader))
                .findFirst()
                .orElseThrow();
        var remaining = workers.keySet().stream()
                .filter(w -> !w.equals(stopping))
                .findFirst()
                .orElseThrow();
        workers.remove(stopping).close();

        env.put(AnalyticsEnvironment.clicks(run + "-2", 100, 10, Instant.now()));
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(owners().values())
                            .as("every lease with the remaining worker")
                            .containsOnly(remaining);
                    assertThat(counted(run + "-2")).isEqualTo(1000);
                });
        assertThat(counted(run + "-1")).isEqualTo(1000);
        // Resumed from the checkpoint, not from the trim horizon: the remaining worker saw no click a second time.
        assertThat(meters(remaining)
                        .get("analytics.clicks.duplicates")
                        .counter()
                        .count())
                .isZero();
    }

    private void start(String workerId) {
        var properties = new HashMap<String, Object>(env.properties());
        properties.put("analytics.kcl.worker-id", workerId);
        // Two workers starting together on an empty table is the fleet case the KCL's own random wait is for.
        properties.put("analytics.kcl.seed-leases", "false");
        properties.put("server.port", "0");
        // This test is about the clickstream; the queue listeners stay off.
        properties.put("spring.cloud.aws.sqs.enabled", "false");
        // As command-line arguments, which outrank application.yml (default properties would not).
        var args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        workers.put(workerId, new SpringApplicationBuilder(AnalyticsApplication.class).run(args));
    }

    private Map<String, String> owners() {
        return env.leases().entrySet().stream()
                .filter(e -> !"SHARD_END".equals(e.getValue().get("checkpoint")))
                .collect(Collectors.toMap(
                        Map.Entry::getKey, e -> String.valueOf(e.getValue().get("leaseOwner"))));
    }

    private long counted(String prefix) {
        var jdbc = workers.values().iterator().next().getBean(JdbcTemplate.class);
        return jdbc.queryForObject(
                "select coalesce(sum(clicks), 0) from session_activity where session_id like ?",
                Long.class,
                prefix + "-%");
    }

    private MeterRegistry meters(String worker) {
        return workers.get(worker).getBean(MeterRegistry.class);
    }
}
