package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.decoupled.analytics.support.AnalyticsEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.kinesis.coordinator.Scheduler;

/**
 * With {@code analytics.kcl.seed-leases} (the local profile) a worker on an empty lease table creates the shards'
 * leases itself before the KCL starts, so the KCL never takes its empty-table path, the random 1-30 s wait that was
 * most of the demo's time to its first click counted. The KCL logs each turn of that wait; none may appear.
 */
class KclLeaseSeedingIT {
    private final AnalyticsEnvironment env = new AnalyticsEnvironment("seeding", 2);
    private final ListAppender<ILoggingEvent> kclLog = new ListAppender<>();
    private ConfigurableApplicationContext analytics;

    @AfterEach
    void stop() {
        if (analytics != null) {
            analytics.close();
        }
        ((Logger) LoggerFactory.getLogger(Scheduler.class)).detachAppender(kclLog);
    }

    @Test
    void aWorkerOnAnEmptyLeaseTableSeedsTheLeasesAndTheKclSkipsItsRandomWait() {
        kclLog.start();
        assertThat(env.leases()).as("no lease table yet").isEmpty();

        var properties = new HashMap<String, Object>(env.properties());
        properties.put("analytics.kcl.seed-leases", "true");
        properties.put("server.port", "0");
        properties.put("spring.cloud.aws.sqs.enabled", "false");
        // application.yml quiets the KCL's coordinator to WARN; its empty-table wait is logged at INFO.
        properties.put("logging.level.software.amazon.kinesis.coordinator.Scheduler", "INFO");
        var args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        // Spring Boot resets the logging system while it prepares the environment; listen from just after that.
        analytics = new SpringApplicationBuilder(AnalyticsApplication.class)
                .listeners((ApplicationListener<ApplicationPreparedEvent>)
                        prepared -> ((Logger) LoggerFactory.getLogger(Scheduler.class)).addAppender(kclLog))
                .run(args);
        env.put(AnalyticsEnvironment.clicks("seeded", 10, 5, Instant.now()));

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(counted()).isEqualTo(50));
        assertThat(env.leases()).as("one lease per shard").hasSize(2);
        assertThat(messages()).as("the KCL's scheduler log, at INFO").isNotEmpty();
        assertThat(messages())
                .as("the KCL's scheduler log")
                .noneMatch(m -> m.startsWith("Lease table is still empty"))
                .noneMatch(m -> m.contains("is initiating the lease sync"));
    }

    private List<String> messages() {
        return kclLog.list.stream().map(ILoggingEvent::getMessage).toList();
    }

    private long counted() {
        return analytics
                .getBean(JdbcTemplate.class)
                .queryForObject(
                        "select coalesce(sum(clicks), 0) from session_activity where session_id like 'seeded-%'",
                        Long.class);
    }
}
