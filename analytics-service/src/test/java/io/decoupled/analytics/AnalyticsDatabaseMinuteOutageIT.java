package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.analytics.support.AnalyticsEnvironment;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.localaws.TcpProxy;
import io.decoupled.topology.OrderEventAttributes;
import io.decoupled.topology.Topology;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * PostgreSQL unreachable for a full minute while clicks (Kinesis, the KCL path) and order events (SNS to the
 * {@code analytics-orders} listener) arrive at its start. The connection is cut at the network (a proxy), so the pool's
 * connections die and every new one is refused; the pool keeps the service's own settings. Nothing is set aside,
 * nothing reaches the DLQ, and once the database is back every click and every order is counted exactly once.
 *
 * <p>The listeners' visibility backoff is the one setting scaled to the test: a constant 36 s (18 to 36 s with half
 * jitter), so a message's fifth and last receive comes at least 72 s after its first, more than the outage, and the
 * test does not wait out the defaults' longer tail (their fourth receive comes at least 105 s after the first). On
 * emulators of its own, so it runs beside the module's other classes.
 */
@Execution(ExecutionMode.CONCURRENT)
class AnalyticsDatabaseMinuteOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    static LocalAws aws;
    static AnalyticsEnvironment env;
    static TcpProxy database;
    static ConfigurableApplicationContext service;

    @BeforeAll
    static void start() {
        aws = LocalAws.startAll();
        System.setProperty("aws.cborEnabled", "false");
        env = new AnalyticsEnvironment(aws, "minute", 2);
        database = new TcpProxy(LocalPostgres.shared().port());
        var properties = new HashMap<>(env.properties());
        properties.put(
                "spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + env.database());
        properties.put("analytics.kcl.worker-id", "minute");
        properties.put("server.port", "0");
        properties.put("analytics.listeners.retry.initial-visibility", "36s");
        properties.put("analytics.listeners.retry.multiplier", "1");
        properties.put("analytics.listeners.retry.max-visibility", "36s");
        service = new SpringApplicationBuilder(AnalyticsApplication.class)
                .run(properties.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (database != null) {
            database.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void aMinuteWithoutTheDatabaseLosesNothingSetsNothingAsideAndCountsEverythingOnce() throws Exception {
        var run = "m" + UUID.randomUUID().toString().substring(0, 6);
        var start = Instant.now();
        env.put(AnalyticsEnvironment.clicks(run, 20, 5, start));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> counted(run) == 100);

        database.cut();
        try {
            env.put(AnalyticsEnvironment.clicks(run, 20, 10, start.plusSeconds(5)));
            for (int i = 0; i < 20; i++) {
                publishOrder(run + "-o" + i);
            }
            // For the whole minute nothing new is counted, nothing is set aside, nothing is dead-lettered.
            await().during(OUTAGE)
                    .atMost(OUTAGE.plusSeconds(30))
                    .until(() -> counted(run) == 100
                            && query("select count(*) from rejected_record") == 0
                            && deadLettered() == 0);
        } finally {
            database.restore();
        }
        long restoredAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> counted(run) == 300
                        && query("select count(*) from order_event where session_id like '" + run + "-o%'") == 20);
        double recovery = (System.nanoTime() - restoredAt) / 1e9;
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).until(() -> counted(run) == 300);
        assertThat(query("select coalesce(sum(clicks), 0) from page_minute where page like '/" + run + "/%'"))
                .isEqualTo(300);
        assertThat(query("select count(*) from rejected_record")).isZero();
        assertThat(deadLettered()).isZero();
        System.out.printf(
                "analytics: PostgreSQL cut for %d s: 300 clicks and 20 orders counted once, all counted %.1f s after it came back%n",
                OUTAGE.toSeconds(), recovery);
    }

    /** Straight to the database, not through the proxy: the test must see the data while the service cannot. */
    private static long query(String sql) throws Exception {
        try (var c = DriverManager.getConnection(
                        LocalPostgres.shared().jdbcUrl(env.database()), "postgres", "postgres");
                var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long counted(String run) throws Exception {
        return query("select coalesce(sum(clicks), 0) from session_activity where session_id like '" + run + "-s%'");
    }

    private static long deadLettered() {
        try (var sqs = aws.sqs()) {
            var url = aws.topology().queueUrl(Topology.ANALYTICS_ORDERS_DLQ);
            return sqs
                    .getQueueAttributes(r -> r.queueUrl(url)
                            .attributeNamesWithStrings(
                                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                    .attributesAsStrings()
                    .values()
                    .stream()
                    .mapToLong(Long::parseLong)
                    .sum();
        }
    }

    private static void publishOrder(String session) {
        var body = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"OrderPlaced\",\"orderId\":\""
                + UUID.randomUUID()
                + "\",\"customerId\":\"c-1\",\"sessionId\":\"" + session
                + "\",\"fulfillment\":\"SHIP\",\"country\":\"DE\",\"currency\":\"EUR\","
                + "\"total\":10.00,\"lines\":[],\"occurredAt\":\"" + Instant.now() + "\"}";
        try (var sns = aws.sns()) {
            sns.publish(p -> p.topicArn(aws.topology().topicArn(Topology.ORDER_EVENTS))
                    .message(body)
                    .messageAttributes(Map.of(
                            OrderEventAttributes.EVENT_TYPE, attribute(OrderEventAttributes.ORDER_PLACED),
                            OrderEventAttributes.FULFILLMENT, attribute(OrderEventAttributes.SHIP),
                            OrderEventAttributes.TOTAL,
                                    MessageAttributeValue.builder()
                                            .dataType("Number")
                                            .stringValue("10")
                                            .build(),
                            OrderEventAttributes.COUNTRY, attribute("DE"))));
        }
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
