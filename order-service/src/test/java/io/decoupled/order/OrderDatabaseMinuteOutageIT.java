package io.decoupled.order;

import static io.decoupled.topology.Topology.ANALYTICS_ORDERS;
import static io.decoupled.topology.Topology.SHIPMENT_EVENTS;
import static io.decoupled.topology.Topology.SHIPMENT_UPDATES_DLQ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.localaws.TcpProxy;
import io.decoupled.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.payloadoffloading.S3BackedPayloadStore;
import software.amazon.payloadoffloading.S3Dao;

/**
 * order-service's PostgreSQL unreachable for a full minute (cut at the network by a proxy: pooled connections die,
 * new ones are refused; the pool keeps the service's own settings). Orders accepted just before the cut are still
 * in the outbox, and shipment updates for them arrive on {@code shipment-updates.fifo} during the outage. Once the
 * database is back, every accepted order is published exactly once, every update is applied once and in order,
 * nothing is set aside or parked and nothing reaches the DLQ. An order posted during the outage is refused with a
 * 503 and never appears. The only setting scaled to the test is the listener's longest backoff (5 s instead of
 * 30 s), so that recovery is seen within seconds; its 15-minute budget is the default. On emulators and a database
 * of its own, so it runs beside the module's other classes.
 */
@SpringBootTest(
        properties = {
            "order.outbox.relay.poll-interval=200ms",
            "order.shipments.retry.max-backoff=5s",
            "spring.cloud.aws.sqs.listener.poll-timeout=2s"
        })
@AutoConfigureMockMvc
@DirtiesContext
@Execution(ExecutionMode.CONCURRENT)
class OrderDatabaseMinuteOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final int ORDERS = 20;
    private static final String DATABASE = "orders_minute_outage";

    static final LocalAws aws =
            LocalAws.builder().services(AwsService.SQS, AwsService.KINESIS).start(); // the topology has a stream
    /**
     * A server of its own, not the one the module's other classes share: the cut leaves backends idle inside their
     * transactions until TCP notices, and a transaction still running holds back every relay on its server, which
     * reads only rows older than it (OutboxRelay).
     */
    static final LocalPostgres postgres = LocalPostgres.start();

    static {
        // At the JVM's exit, as the shared server: this class's application context closes after its @AfterAll.
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "minute-outage-postgres-shutdown"));
    }

    static final TcpProxy database = new TcpProxy(postgres.port());

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        aws.springProperties().forEach((key, value) -> registry.add(key, () -> value));
        postgres.springProperties(DATABASE).forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + DATABASE);
    }

    @AfterAll
    static void stop() {
        database.close();
        aws.close();
    }

    @Autowired
    MockMvcTester mvc;

    @Test
    void aMinuteWithoutTheDatabasePublishesEveryAcceptedOrderOnceAndAppliesEveryUpdateOnceInOrder() throws Exception {
        var orders = new ArrayList<String>();
        for (int i = 0; i < ORDERS; i++) {
            orders.add(placeOrder());
        }
        var probe = new QueueProbe(
                aws.sqs(),
                new S3BackedPayloadStore(new S3Dao(aws.s3()), Topology.LOCAL_PAYLOAD_BUCKET),
                aws.topology().queueUrl(ANALYTICS_ORDERS),
                true,
                new HashSet<>(orders));
        database.cut();
        try (var sns = aws.sns()) {
            orders.forEach(o -> publishUpdate(sns, o, "ShipmentDispatched"));
            orders.forEach(o -> publishUpdate(sns, o, "ShipmentDelivered"));
            // An order posted now is not accepted: 503 problem+json once the pool gives up (its own 30 s), never
            // stored.
            var refused = CompletableFuture.supplyAsync(() -> post(order("c-refused-" + UUID.randomUUID())));
            // For the whole minute: nothing set aside, nothing dead-lettered.
            await().during(OUTAGE)
                    .atMost(OUTAGE.plusSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> query("select count(*) from rejected_shipment_events") == 0 && deadLettered() == 0);
            assertThat(refused.join()).hasStatus(503).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        } finally {
            database.restore();
        }
        long restoredAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(query("select count(*) from processed_shipment_events"))
                            .isEqualTo(2L * ORDERS);
                    assertThat(query("select count(*) from outbox_status where state <> 'PUBLISHED'"))
                            .isZero();
                });
        double recovery = (System.nanoTime() - restoredAt) / 1e9;
        assertThat(orders).allSatisfy(o -> assertThat(history(o)).containsExactly("PLACED", "SHIPPED", "DELIVERED"));
        // Every accepted order published as exactly one event. The relay marks rows published in the transaction that
        // holds their locks, after SNS accepted them; rows in flight when the database went away are sent again after
        // it, with the same event id (docs/order-service.md, at least once), which every consumer deduplicates on.
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.drain().size() >= ORDERS);
        var lastSeen = new AtomicInteger(-1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).until(() -> {
            int now = probe.drain().size();
            return lastSeen.getAndSet(now) == now;
        });
        var delivered = probe.drain();
        Map<String, Set<String>> eventIdsPerOrder = delivered.stream()
                .collect(Collectors.groupingBy(
                        r -> r.text("orderId"),
                        Collectors.mapping(r -> r.text("eventType") + " " + r.text("eventId"), Collectors.toSet())));
        assertThat(eventIdsPerOrder)
                .hasSize(ORDERS)
                .allSatisfy((order, events) ->
                        assertThat(events).as(order).singleElement().asString().startsWith("OrderPlaced "));
        assertThat(query("select count(*) from orders")).isEqualTo(ORDERS);
        assertThat(query("select count(*) from outbox where parked_at is not null"))
                .isZero();
        assertThat(query("select count(*) from rejected_shipment_events")).isZero();
        assertThat(deadLettered()).isZero();
        System.out.printf(
                "order-service: PostgreSQL cut for %d s: %d orders published as %d events (%d deliveries, the rest sent again with the"
                        + " same event id), %d updates applied once, done %.1f s after it came back%n",
                OUTAGE.toSeconds(), ORDERS, eventIdsPerOrder.size(), delivered.size(), 2 * ORDERS, recovery);
    }

    private String placeOrder() {
        var result = post(order("c-" + UUID.randomUUID()));
        assertThat(result).hasStatus(201);
        return JsonPath.read(body(result), "$.id");
    }

    private MvcTestResult post(String json) {
        return mvc.post()
                .uri("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    private static String order(String customer) {
        return """
                {"customerId":"%s","sessionId":"s-%s","fulfillment":"SHIP","country":"DE","currency":"EUR",
                 "lines":[{"sku":"BOOK-1","quantity":1,"unitPrice":5.00}]}""".formatted(customer, customer);
    }

    private List<String> history(String orderId) {
        return JsonPath.read(body(mvc.get().uri("/orders/{id}", orderId).exchange()), "$.history[*].status");
    }

    private static String body(MvcTestResult result) {
        return new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
    }

    private static void publishUpdate(SnsClient sns, String orderId, String eventType) {
        var eventId = UUID.randomUUID();
        var body = """
                {"eventId":"%s","eventType":"%s","orderId":"%s","shipmentId":"%s","carrier":"DHL","trackingNumber":"T-%s","occurredAt":"%s"}""".formatted(eventId, eventType, orderId, UUID.randomUUID(), eventId, Instant.now());
        sns.publish(p -> p.topicArn(aws.topology().topicArn(SHIPMENT_EVENTS))
                .message(body)
                .messageGroupId(orderId)
                .messageDeduplicationId(eventId.toString())
                .messageAttributes(Map.of(
                        "eventType",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue(eventType)
                                .build())));
    }

    /** Straight to the database, not through the proxy: the test must see the data while the service cannot. */
    private static long query(String sql) throws Exception {
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(DATABASE), "postgres", "postgres");
                var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long deadLettered() {
        try (var sqs = aws.sqs()) {
            var url = aws.topology().queueUrl(SHIPMENT_UPDATES_DLQ);
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
}
