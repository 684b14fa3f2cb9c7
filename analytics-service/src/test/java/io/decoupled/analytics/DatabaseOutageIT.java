package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.analytics.support.AnalyticsEnvironment;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.localaws.TcpProxy;
import io.decoupled.topology.OrderEventAttributes;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * PostgreSQL unreachable while clicks and order events keep arriving: the service talks to its database through a
 * proxy the test cuts and restores. Nothing is set aside (an outage is transient, not poison), nothing reaches a
 * DLQ, and once the database is back every click and every order is counted exactly once.
 */
@SpringBootTest(
        properties = {
            // Seconds instead of minutes, so that the retries fit the test; the budget still outlasts the outage.
            "analytics.listeners.retry.initial-visibility=2s",
            "analytics.listeners.retry.multiplier=3",
            "spring.datasource.hikari.connection-timeout=1000"
        })
@DirtiesContext
class DatabaseOutageIT {
    static final AnalyticsEnvironment env = new AnalyticsEnvironment("outage", 2);
    static final TcpProxy database = new TcpProxy(LocalPostgres.shared().port());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add(
                "spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + env.database());
    }

    @AfterAll
    static void closeProxy() {
        database.close();
    }

    @Autowired
    MeterRegistry meters;

    private final String run = "r" + UUID.randomUUID().toString().substring(0, 6);

    @Test
    void whileTheDatabaseIsAwayNothingIsLostOrSetAsideAndEverythingCountsOnceWhenItIsBack() throws Exception {
        var start = Instant.now();
        env.put(AnalyticsEnvironment.clicks(run, 50, 4, start));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> counted(run) == 200);

        double failuresBefore =
                meters.get("analytics.clicks.store_failures").counter().count();
        database.cut();
        try {
            env.put(AnalyticsEnvironment.clicks(run, 50, 6, start.plusSeconds(4)));
            for (int i = 0; i < 5; i++) {
                publishOrder(run + "-o" + i);
            }
            // The consumer is retrying, not skipping: store failures climb while nothing new can be counted.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> meters.get("analytics.clicks.store_failures")
                                            .counter()
                                            .count()
                                    > failuresBefore + 3
                            && meters
                                            .find("analytics.listeners.retries")
                                            .tag("queue", Topology.ANALYTICS_ORDERS)
                                            .counters()
                                            .stream()
                                            .mapToDouble(c -> c.count())
                                            .sum()
                                    >= 5);
            assertThat(counted(run)).isEqualTo(200);
        } finally {
            database.restore();
        }

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(counted(run)).isEqualTo(500);
                    assertThat(query("select count(*) from order_event where session_id like '" + run + "-o%'"))
                            .isEqualTo(5);
                });
        // And it stays there: nothing counted twice later, nothing set aside, nothing in a DLQ.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).until(() -> counted(run) == 500);
        assertThat(query("select count(*) from rejected_record")).isZero();
        assertThat(query("select coalesce(sum(out_of_order), 0) from session_activity where session_id like '" + run
                        + "-%'"))
                .isZero();
        try (var sqs = env.aws().sqs()) {
            var url = sqs.getQueueUrl(r -> r.queueName(Topology.ANALYTICS_ORDERS_DLQ))
                    .queueUrl();
            assertThat(sqs.getQueueAttributes(
                                    r -> r.queueUrl(url).attributeNamesWithStrings("ApproximateNumberOfMessages"))
                            .attributesAsStrings())
                    .containsEntry("ApproximateNumberOfMessages", "0");
        }
    }

    /** Straight to the database, not through the proxy: the test must see the data while the service cannot. */
    private long query(String sql) throws Exception {
        try (var c = DriverManager.getConnection(
                        LocalPostgres.shared().jdbcUrl(env.database()), "postgres", "postgres");
                var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long counted(String prefix) throws Exception {
        return query("select coalesce(sum(clicks), 0) from session_activity where session_id like '" + prefix + "-s%'");
    }

    private void publishOrder(String session) {
        var body = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"OrderPlaced\",\"orderId\":\""
                + UUID.randomUUID()
                + "\",\"customerId\":\"c-1\",\"sessionId\":\"" + session
                + "\",\"fulfillment\":\"SHIP\",\"country\":\"DE\",\"currency\":\"EUR\","
                + "\"total\":10.00,\"lines\":[],\"occurredAt\":\"" + Instant.now() + "\"}";
        try (var sns = env.aws().sns()) {
            sns.publish(p -> p.topicArn(env.aws().topology().topicArn(Topology.ORDER_EVENTS))
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
