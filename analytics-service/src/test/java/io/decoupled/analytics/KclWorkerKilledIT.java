package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.analytics.support.AnalyticsEnvironment;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
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
 * A KCL worker killed, not stopped: a second JVM takes a lease and consumes, then dies by SIGKILL mid-stream with
 * no chance to checkpoint or release its lease. The lease must expire and move to the surviving worker, which
 * resumes from the last checkpoint; records the dead worker applied after that checkpoint arrive again and the
 * dedupe table absorbs them. Every click is counted exactly once.
 */
class KclWorkerKilledIT {
    private final AnalyticsEnvironment env = new AnalyticsEnvironment("killed", 2);
    private final String run = "k" + UUID.randomUUID().toString().substring(0, 6);
    private ConfigurableApplicationContext survivor;
    private Process victim;

    @AfterEach
    void stop() {
        if (victim != null) {
            victim.destroyForcibly();
        }
        if (survivor != null) {
            survivor.close();
        }
    }

    @Test
    void aKilledWorkersLeasesExpireAndMoveAndNoClickIsLostOrCountedTwice() throws Exception {
        // The in-process worker starts first and becomes the leader, which assigns leases: killing the leader
        // would add the leader lock's 2-minute expiry to the test without testing anything more.
        survivor = start("survivor");
        await().atMost(Duration.ofSeconds(90)).until(() -> "survivor".equals(env.leader()));
        victim = startChildJvm("victim");

        env.put(AnalyticsEnvironment.clicks(run + "-1", 100, 10, Instant.now()));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(owners().values()).as("lease owners").contains("victim");
                    assertThat(counted(run + "-1")).isEqualTo(1000);
                });

        // Keep writing while the victim works, and kill it mid-stream.
        env.put(AnalyticsEnvironment.clicks(run + "-2", 100, 5, Instant.now()));
        victim.destroyForcibly().waitFor();
        env.put(AnalyticsEnvironment.clicks(run + "-2b", 100, 5, Instant.now()));

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(owners().values())
                            .as("every lease with the survivor")
                            .containsOnly("survivor");
                    assertThat(counted(run + "-2")).isEqualTo(500);
                    assertThat(counted(run + "-2b")).isEqualTo(500);
                });
        assertThat(counted(run + "-1"))
                .as("the first batch, counted before the kill")
                .isEqualTo(1000);
        assertThat(rejected()).isZero();
    }

    /**
     * The only worker, which is also the leader, killed and replaced (a crashed task, a laptop demo restarted): the
     * replacement must wait out the dead leader's lock before anyone assigns the dead worker's leases. The leader
     * lock duration is a setting (KCL default 2 min; 6 s here, 10 s in the local profile), so takeover is bounded by
     * it plus the failover time. Nothing is lost or counted twice across the kill.
     */
    @Test
    void theOnlyWorkerKilledAndReplacedResumesFromItsCheckpointsOnceTheLeaderLockExpires() throws Exception {
        victim = startChildJvm("victim");
        env.put(AnalyticsEnvironment.clicks(run + "-1", 100, 10, Instant.now()));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(owners().values())
                            .as("lease owners")
                            .containsOnly("victim")
                            .hasSize(2);
                    assertThat(countedThroughJdbc(run + "-1")).isEqualTo(1000);
                });
        assertThat(env.leader()).isEqualTo("victim");

        env.put(AnalyticsEnvironment.clicks(run + "-2", 100, 5, Instant.now()));
        victim.destroyForcibly().waitFor();
        long killed = System.nanoTime();
        env.put(AnalyticsEnvironment.clicks(run + "-2b", 100, 5, Instant.now()));

        survivor = start("replacement");
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(owners().values())
                            .as("every lease with the replacement")
                            .containsOnly("replacement")
                            .hasSize(2);
                    assertThat(counted(run + "-2")).isEqualTo(500);
                    assertThat(counted(run + "-2b")).isEqualTo(500);
                });
        System.out.printf(
                "KCL takeover after SIGKILL of the only worker: every lease owned and every click counted %.1f s after the kill%n",
                (System.nanoTime() - killed) / 1e9);
        assertThat(counted(run + "-1")).isEqualTo(1000);
        assertThat(rejected()).isZero();
    }

    /** Counted clicks read without an application context of this JVM (only the victim runs yet). */
    private long countedThroughJdbc(String prefix) throws Exception {
        var url = env.properties().get("spring.datasource.url");
        try (var c = DriverManager.getConnection(
                        url,
                        env.properties().get("spring.datasource.username"),
                        env.properties().get("spring.datasource.password"));
                var statement = c.prepareStatement(
                        "select coalesce(sum(clicks), 0) from session_activity where session_id like ?")) {
            statement.setString(1, prefix + "-%");
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException tableNotThereYet) {
            return 0;
        }
    }

    private ConfigurableApplicationContext start(String workerId) {
        var args = arguments(workerId).entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(AnalyticsApplication.class).run(args);
    }

    private Process startChildJvm(String workerId) throws IOException {
        return env.startProcess(arguments(workerId), "KCL worker " + workerId + " started");
    }

    private Map<String, String> arguments(String workerId) {
        var properties = new HashMap<>(env.properties());
        properties.put("analytics.kcl.worker-id", workerId);
        properties.put("server.port", "0");
        properties.put("spring.cloud.aws.sqs.enabled", "false");
        return properties;
    }

    private Map<String, String> owners() {
        return env.leases().entrySet().stream()
                .filter(e -> !"SHARD_END".equals(e.getValue().get("checkpoint")))
                .collect(Collectors.toMap(
                        Map.Entry::getKey, e -> String.valueOf(e.getValue().get("leaseOwner"))));
    }

    private long counted(String prefix) {
        return survivor.getBean(JdbcTemplate.class)
                .queryForObject(
                        "select coalesce(sum(clicks), 0) from session_activity where session_id like ?",
                        Long.class,
                        prefix + "-%");
    }

    private long rejected() {
        return survivor.getBean(JdbcTemplate.class).queryForObject("select count(*) from rejected_record", Long.class);
    }
}
