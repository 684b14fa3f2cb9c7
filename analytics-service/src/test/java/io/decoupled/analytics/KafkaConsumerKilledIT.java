package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.analytics.support.AnalyticsEnvironment;
import io.decoupled.analytics.support.AnalyticsKafkaBroker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Kafka consumer killed, not stopped: a second JVM in the group takes a partition and consumes, then dies by SIGKILL
 * mid-stream with no chance to commit or leave the group. Once its session times out, the group rebalances and the
 * survivor resumes the partition from the last committed offset; records the dead member applied after that commit
 * arrive again and the dedupe table absorbs them. Every click is counted exactly once. (The KCL's counterpart is
 * {@link KclWorkerKilledIT}.)
 */
class KafkaConsumerKilledIT {
    private final AnalyticsEnvironment env = new AnalyticsEnvironment("kkilled", 1);
    private final String topic = "clicks-" + UUID.randomUUID().toString().substring(0, 8);
    private final String group = "analytics-" + topic;
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
    void aKilledMembersPartitionsMoveToTheSurvivorAndNoClickIsLostOrCountedTwice() throws Exception {
        AnalyticsKafkaBroker.createTopic(topic, 2);
        survivor = new SpringApplicationBuilder(AnalyticsApplication.class)
                .run(arguments("survivor").entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
        victim = startChildJvm("victim");

        AnalyticsKafkaBroker.put(topic, AnalyticsEnvironment.clicks(run + "-1", 100, 10, Instant.now()));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(assigned("victim"))
                            .as("partitions of the victim")
                            .isPositive();
                    assertThat(assigned("survivor"))
                            .as("partitions of the survivor")
                            .isPositive();
                    assertThat(counted(run + "-1")).isEqualTo(1000);
                });

        // Keep writing while the victim works, and kill it mid-stream.
        AnalyticsKafkaBroker.put(topic, AnalyticsEnvironment.clicks(run + "-2", 100, 5, Instant.now()));
        victim.destroyForcibly().waitFor();
        AnalyticsKafkaBroker.put(topic, AnalyticsEnvironment.clicks(run + "-2b", 100, 5, Instant.now()));

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(assigned("survivor"))
                            .as("every partition with the survivor")
                            .isEqualTo(2);
                    assertThat(counted(run + "-2")).isEqualTo(500);
                    assertThat(counted(run + "-2b")).isEqualTo(500);
                });
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> counted(run + "-2") == 500 && counted(run + "-2b") == 500);
        assertThat(counted(run + "-1"))
                .as("the first batch, counted before the kill")
                .isEqualTo(1000);
        assertThat(survivor.getBean(JdbcTemplate.class)
                        .queryForObject("select count(*) from rejected_record", Long.class))
                .isZero();
        assertThat(survivor.getBean(JdbcTemplate.class)
                        .queryForObject(
                                "select coalesce(sum(out_of_order), 0) from session_activity where session_id like ?",
                                Long.class,
                                run + "-%"))
                .isZero();
    }

    private int assigned(String member) {
        return AnalyticsKafkaBroker.members(group).entrySet().stream()
                .filter(e -> e.getKey().startsWith(member))
                .mapToInt(Map.Entry::getValue)
                .sum();
    }

    private Map<String, String> arguments(String name) {
        var properties = new HashMap<>(env.properties());
        properties.put("analytics.clickstream.backend", "kafka");
        properties.put("analytics.clickstream.kafka.topic", topic);
        properties.put("analytics.clickstream.kafka.group-id", group);
        properties.put("spring.kafka.bootstrap-servers", AnalyticsKafkaBroker.bootstrapServers());
        properties.put("spring.kafka.consumer.client-id", name);
        // The broker's minimum: a killed member's partitions move after 6 s instead of the default 45 s.
        properties.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
        properties.put("spring.kafka.consumer.heartbeat-interval", "2s");
        properties.put("server.port", "0");
        properties.put("spring.cloud.aws.sqs.enabled", "false");
        return properties;
    }

    private Process startChildJvm(String name) throws IOException {
        return env.startProcess(arguments(name), "Started AnalyticsApplication");
    }

    private long counted(String prefix) {
        return survivor.getBean(JdbcTemplate.class)
                .queryForObject(
                        "select coalesce(sum(clicks), 0) from session_activity where session_id like ?",
                        Long.class,
                        prefix + "-%");
    }
}
