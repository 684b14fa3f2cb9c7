package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import com.jayway.jsonpath.JsonPath;
import io.decoupled.analytics.support.AnalyticsEnvironment;
import io.decoupled.analytics.support.AnalyticsEnvironment.Click;
import io.decoupled.topology.OrderEventAttributes;
import io.decoupled.topology.Topology;
import java.io.UnsupportedEncodingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.sns.AmazonSNSExtendedClient;
import software.amazon.sns.SNSExtendedClientConfiguration;

/**
 * The clickstream through the KCL into the aggregates: exact counts, per-session order, event-time windows,
 * and replays that change nothing. Records are written as click-ingest writes them (contract-shaped JSON,
 * partition key = session) straight to a stream of this class's own.
 */
@SpringBootTest
@AutoConfigureMockMvc
@DirtiesContext
class ClickstreamAnalyticsIT {
    static final AnalyticsEnvironment env = new AnalyticsEnvironment("clicks", 2);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.properties().forEach((k, v) -> registry.add(k, () -> v));
    }

    /** The spans this context finishes (Brave hands every finished span to each SpanHandler bean). */
    @TestConfiguration
    static class FinishedSpans {
        static final Queue<MutableSpan> finished = new ConcurrentLinkedQueue<>();

        @Bean
        SpanHandler collectingSpanHandler() {
            return new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    finished.add(span);
                    return true;
                }
            };
        }
    }

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    private final String run = "r" + UUID.randomUUID().toString().substring(0, 6);

    @Test
    void everyClickIsCountedExactlyOnceAndInSessionOrder() {
        var start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
        var clicks = new ArrayList<>(AnalyticsEnvironment.clicks(run, 100, 20, start));
        clicks.add(new Click(run + "-bad", "not json at all"));
        clicks.add(new Click(run + "-bad", "{\"sessionId\":\"" + run + "-bad\",\"page\":\"/x\"}"));
        env.put(clicks);

        awaitCounted(2000);
        assertThat(mvc.get().uri("/analytics/clicks")).hasStatusOk().bodyJson().satisfies(json -> {
            assertThat(json).extractingPath("$.outOfOrder").isEqualTo(0);
            assertThat(json)
                    .extractingPath("$.rejected")
                    .asNumber()
                    .satisfies(n -> assertThat(n.longValue()).isGreaterThanOrEqualTo(2));
        });
        assertThat(jdbc.queryForObject(
                        "select count(*) from rejected_record where partition_key = ?", Long.class, run + "-bad"))
                .isEqualTo(2);
        // Event-time windows: steps 0..19 are seconds after the start minute, so every click is in that minute.
        assertThat(jdbc.queryForObject(
                        "select sum(clicks) from page_minute where page like ? and minute = ?",
                        Long.class,
                        "/" + run + "/%",
                        Timestamp.from(start)))
                .isEqualTo(2000);
        assertThat(jdbc.queryForObject(
                        "select count(*) from session_minute where session_id like ? and minute = ?",
                        Long.class,
                        run + "-%",
                        Timestamp.from(start)))
                .isEqualTo(100);
        assertThat(mvc.get().uri("/analytics/clicks/pages?minutes=3"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.windows[?(@.page =~ /\\/" + run + "\\/.*/)].clicks")
                .asArray()
                .containsOnly(400);
        assertThat(mvc.get().uri("/analytics/sessions/active?minutes=5"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.activeSessions")
                .asNumber()
                .satisfies(n -> assertThat(n.longValue()).isGreaterThanOrEqualTo(100));
        // The console's panel reads what the consumer does from the worker itself: reading, with the leases it holds.
        assertThat(mvc.get().uri("/analytics/clickstream/consumer"))
                .hasStatusOk()
                .bodyJson()
                .satisfies(json -> {
                    assertThat(json).extractingPath("$.state").isEqualTo("STARTED");
                    assertThat(json).extractingPath("$.status").asString().startsWith("KCL: reading ");
                });
    }

    @Test
    void poisonRecordsAmidGoodOnesAreSetAsideWithTheirReasonAndTheShardMovesOn() {
        var start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var good = AnalyticsEnvironment.clicks(run, 20, 10, start);
        var poisonSession = run + "-s3";
        var poison = List.of(
                new Click(poisonSession, "not json at all {"),
                // Valid JSON, written straight to the stream (so click-ingest's checks never saw it): timestamps no
                // store holds.
                new Click(
                        poisonSession,
                        AnalyticsEnvironment.click(
                                UUID.randomUUID(),
                                poisonSession,
                                "/" + run + "/far",
                                Instant.parse("+300000-01-01T00:00:00Z"))),
                new Click(
                        poisonSession,
                        AnalyticsEnvironment.click(
                                UUID.randomUUID(),
                                poisonSession,
                                "/" + run + "/bc",
                                Instant.parse("-4714-11-24T00:00:00Z"))),
                // Readable and plausible, but PostgreSQL refuses NUL in text (SQLState 22021): found only by the
                // insert, isolated by bisection.
                new Click(
                        poisonSession,
                        AnalyticsEnvironment.click(
                                UUID.randomUUID(), poisonSession, "/" + run + "/nul\\u0000", start)));
        // Poison in the middle of the batch, in one PutRecords call, so that the KCL hands it over together with good
        // clicks.
        var records = new ArrayList<Click>(good.subList(0, 100));
        records.addAll(poison);
        records.addAll(good.subList(100, good.size()));
        var puts = env.putOnce(records);
        var poisonPuts = puts.subList(100, 104);

        awaitCounted(200);
        assertThat(jdbc.queryForList(
                        "select reason from rejected_record where partition_key = ? order by sequence_number",
                        String.class,
                        poisonSession))
                .satisfiesExactlyInAnyOrder(
                        reason -> assertThat(reason).startsWith("not a click"),
                        reason -> assertThat(reason)
                                .contains("timestamp out of range")
                                .contains("+300000"),
                        reason -> assertThat(reason)
                                .contains("timestamp out of range")
                                .contains("-4714"),
                        reason -> assertThat(reason)
                                .contains("[22021]")
                                .contains("invalid byte sequence")
                                .doesNotContain("\u0000"));
        assertThat(jdbc.queryForList(
                        "select sequence_number from rejected_record where partition_key = ?",
                        String.class,
                        poisonSession))
                .containsExactlyInAnyOrderElementsOf(poisonPuts.stream()
                        .map(AnalyticsEnvironment.Put::sequenceNumber)
                        .toList());
        assertThat(jdbc.queryForObject(
                        "select count(*) from rejected_record where partition_key = ? and data is not null",
                        Long.class,
                        poisonSession))
                .isEqualTo(4);

        // The shard moves on: a later click of the same session is counted and the checkpoint passes the poison.
        var later = env.putOnce(List.of(new Click(
                poisonSession,
                AnalyticsEnvironment.click(
                        UUID.randomUUID(), poisonSession, "/" + run + "/later", start.plusSeconds(60)))));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(countedFor(poisonSession)).isEqualTo(11));
        var shard = poisonPuts.getFirst().shardId();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(
                                new BigInteger(env.leases().get(shard).get("checkpoint")))
                        .isGreaterThanOrEqualTo(new BigInteger(later.getFirst().sequenceNumber())));
        assertThat(jdbc.queryForObject(
                        "select coalesce(sum(out_of_order), 0) from session_activity where session_id like ?",
                        Long.class,
                        run + "-%"))
                .isZero();
    }

    @Test
    void poisonOrderAndShipmentMessagesAreSetAsideAndTheQueuesMoveOn() {
        var placedBefore = json("/analytics/orders", "$.placed");
        // Not JSON; and an order whose currency PostgreSQL refuses (NUL): both set aside with their reason, neither
        // retried.
        try (var sns = env.aws().sns()) {
            sns.publish(p -> p.topicArn(env.aws().topology().topicArn(Topology.ORDER_EVENTS))
                    .message("{not json " + run)
                    .messageAttributes(Map.of(
                            OrderEventAttributes.EVENT_TYPE,
                            attribute("String", OrderEventAttributes.ORDER_PLACED),
                            OrderEventAttributes.FULFILLMENT,
                            attribute("String", OrderEventAttributes.SHIP),
                            OrderEventAttributes.TOTAL,
                            attribute("Number", "1"),
                            OrderEventAttributes.COUNTRY,
                            attribute("String", "DE"))));
        }
        var nul = orderEvent(OrderEventAttributes.ORDER_PLACED, run + "-nul", "5.00");
        publishOrder(new OrderMessage(
                nul.body().replace("\"currency\":\"EUR\"", "\"currency\":\"E\\u0000R\""),
                nul.eventType(),
                nul.total()));
        publishOrder(orderEvent(OrderEventAttributes.ORDER_PLACED, run + "-fine", "7.00"));
        // On the FIFO queue: a poison update of one order, then a good one of the same order, which must not wait
        // behind it.
        // (Dispatch only: a delivery would change the delivery-time statistics another test asserts.)
        var dispatched = Instant.parse("2026-11-20T08:00:00Z");
        publishShipment("ShipmentDispatched", "order-p", "ship\\u0000ment-p", dispatched);
        publishShipment("ShipmentDispatched", "order-p", "shipment-p", dispatched);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(json("/analytics/orders", "$.placed") - placedBefore)
                    .as("good orders counted")
                    .isEqualTo(1);
            assertThat(jdbc.queryForObject(
                            "select count(*) from shipment where shipment_id = ? and dispatched_at is not null",
                            Long.class,
                            run + "shipment-p"))
                    .isEqualTo(1);
            assertThat(jdbc.queryForList(
                            "select reason from rejected_record where source = ? and encode(data, 'escape') like ?",
                            String.class,
                            Topology.ANALYTICS_ORDERS,
                            "%" + run + "%"))
                    .hasSize(2);
            assertThat(jdbc.queryForList(
                            "select reason from rejected_record where source = ? and encode(data, 'escape') like ?",
                            String.class,
                            Topology.ANALYTICS_SHIPMENTS,
                            "%" + run + "%"))
                    .singleElement()
                    .asString()
                    .contains("[22021]");
        });
        try (var sqs = env.aws().sqs()) {
            for (var dlq : List.of(Topology.ANALYTICS_ORDERS_DLQ, Topology.ANALYTICS_SHIPMENTS_DLQ)) {
                var url = sqs.getQueueUrl(r -> r.queueName(dlq)).queueUrl();
                var attributes = sqs.getQueueAttributes(r -> r.queueUrl(url)
                                .attributeNamesWithStrings(
                                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                        .attributesAsStrings();
                assertThat(attributes)
                        .as(dlq)
                        .containsEntry("ApproximateNumberOfMessages", "0")
                        .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
            }
        }
    }

    @Test
    void aBulkOrderOffloadedToS3IsCountedOnceAndReachesReviewByItsTotalAttribute() {
        var orderId = UUID.randomUUID().toString();
        var lines = IntStream.range(0, 3_000)
                .mapToObj(i -> "{\"sku\":\"%064d\",\"quantity\":1,\"unitPrice\":1.25}".formatted(i))
                .collect(Collectors.joining(","));
        var event = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"OrderPlaced\",\"orderId\":\"" + orderId
                + "\",\"customerId\":\"c-bulk\",\"sessionId\":\"" + run + "-bulk\",\"fulfillment\":\"SHIP\","
                + "\"country\":\"DE\",\"currency\":\"EUR\",\"total\":3750.00,\"lines\":[" + lines
                + "],\"occurredAt\":\"" + Instant.now() + "\"}";
        assertThat(event.length()).isGreaterThan(256 * 1024);
        // As order-service's relay publishes an event too large for SNS: payload in S3, pointer and attributes on SNS.
        try (var sns = env.aws().sns();
                var s3 = env.aws().s3()) {
            new AmazonSNSExtendedClient(
                            sns,
                            new SNSExtendedClientConfiguration()
                                    .withPayloadSupportEnabled(s3, Topology.LOCAL_PAYLOAD_BUCKET)
                                    .withAlwaysThroughS3(true))
                    .publish(p -> p.topicArn(env.aws().topology().topicArn(Topology.ORDER_EVENTS))
                            .message(event)
                            .messageAttributes(Map.of(
                                    OrderEventAttributes.EVENT_TYPE,
                                    attribute("String", OrderEventAttributes.ORDER_PLACED),
                                    OrderEventAttributes.FULFILLMENT,
                                    attribute("String", OrderEventAttributes.SHIP),
                                    OrderEventAttributes.TOTAL,
                                    attribute("Number", "3750.00"),
                                    OrderEventAttributes.COUNTRY,
                                    attribute("String", "DE"))));
        }

        // Counted from analytics-orders (the pointer inside the SNS envelope) and from order-review (raw, routed by the
        // total attribute), once each.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(countOf("order_event", orderId)).isEqualTo(1);
            assertThat(countOf("high_value_order", orderId)).isEqualTo(1);
        });
        assertThat(jdbc.queryForObject(
                        "select total from high_value_order where order_id = ?", BigDecimal.class, orderId))
                .isEqualByComparingTo("3750.00");
    }

    @Test
    void aPointerWhoseObjectIsGoneIsSetAsideWithItsReasonAndTheQueueMovesOn() {
        var missingKey = UUID.randomUUID().toString();
        var pointer = "[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\""
                + Topology.LOCAL_PAYLOAD_BUCKET + "\",\"s3Key\":\"" + missingKey + "\"}]";
        publishOrder(new OrderMessage(pointer, OrderEventAttributes.ORDER_PLACED, "1"));
        var behind = orderEvent(OrderEventAttributes.ORDER_PLACED, run + "-behind", "3.00");
        publishOrder(behind);
        var behindId = JsonPath.<String>read(behind.body(), "$.orderId");

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(countOf("order_event", behindId)).isEqualTo(1);
            assertThat(jdbc.queryForList(
                            "select reason from rejected_record where source = ? and encode(data, 'escape') like ?",
                            String.class,
                            Topology.ANALYTICS_ORDERS,
                            "%" + missingKey + "%"))
                    .singleElement()
                    .asString()
                    .contains("offloaded payload s3://" + Topology.LOCAL_PAYLOAD_BUCKET + "/" + missingKey
                            + " not found");
        });
    }

    private long countOf(String table, String orderId) {
        return jdbc.queryForObject("select count(*) from " + table + " where order_id = ?", Long.class, orderId);
    }

    @Test
    void recordsDeliveredAgainAreNotCountedAgain() {
        var clicks = AnalyticsEnvironment.clicks(run, 50, 10, Instant.now());
        env.put(clicks);
        awaitCounted(500);

        // The same records again, as a producer retry or a replay would bring them: same click ids, new sequence
        // numbers.
        env.put(clicks);
        env.put(clicks.subList(0, 100));
        var marker = AnalyticsEnvironment.clicks(run + "-after", 1, 1, Instant.now());
        env.put(marker);

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(countedFor(run + "-after")).isEqualTo(1));
        assertThat(countedFor(run + "-s")).isEqualTo(500);
        assertThat(jdbc.queryForObject(
                        "select coalesce(sum(out_of_order), 0) from session_activity where session_id like ?",
                        Long.class,
                        run + "-%"))
                .isZero();
    }

    @Test
    void aClicksTraceIdReachesAnalytics() {
        var traceId = UUID.randomUUID().toString().replace("-", "");
        var session = run + "-traced";
        var clickId = UUID.randomUUID();
        var data = AnalyticsEnvironment.click(clickId, session, "/" + run + "/traced", Instant.now())
                .replace("}", ",\"traceparent\":\"00-" + traceId + "-00f067aa0ba902b7-01\"}");
        env.put(List.of(new Click(session, data)));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(FinishedSpans.finished)
                        .filteredOn(span -> traceId.equals(span.traceId()))
                        .singleElement()
                        .satisfies(span -> {
                            assertThat(span.name()).isEqualTo("clickstream record");
                            assertThat(span.parentId()).isEqualTo("00f067aa0ba902b7");
                            assertThat(span.tag("click.id")).isEqualTo(clickId.toString());
                        }));
    }

    /**
     * The outbox relay publishes each order event with the request's W3C traceparent as a message attribute. order-review
     * is subscribed with raw delivery, so it arrives as an SQS message attribute, and the listener container's
     * observation continues the trace; analytics-orders keeps the SNS envelope, whose attributes the container does not
     * read, so its listener continues the trace from the envelope itself.
     */
    @Test
    void anOrdersTraceIdReachesBothOrderListeners() {
        var traceId = UUID.randomUUID().toString().replace("-", "");
        var order = orderEvent(OrderEventAttributes.ORDER_PLACED, null, "1500.00");
        try (var sns = env.aws().sns()) {
            sns.publish(p -> p.topicArn(env.aws().topology().topicArn(Topology.ORDER_EVENTS))
                    .message(order.body())
                    .messageAttributes(Map.of(
                            OrderEventAttributes.EVENT_TYPE,
                            attribute("String", order.eventType()),
                            OrderEventAttributes.FULFILLMENT,
                            attribute("String", OrderEventAttributes.SHIP),
                            OrderEventAttributes.TOTAL,
                            attribute("Number", order.total()),
                            OrderEventAttributes.COUNTRY,
                            attribute("String", "DE"),
                            "traceparent",
                            attribute("String", "00-" + traceId + "-00f067aa0ba902b7-01"))));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            var inTrace = FinishedSpans.finished.stream()
                    .filter(span -> traceId.equals(span.traceId()))
                    .filter(span -> "00f067aa0ba902b7".equals(span.parentId()))
                    .toList();
            assertThat(inTrace)
                    .as("the envelope's listener")
                    .anySatisfy(span -> assertThat(span.name()).isEqualTo("analytics-orders event"));
            assertThat(inTrace)
                    .as("order-review's listener (raw delivery)")
                    .anySatisfy(span -> assertThat(span.name()).isNotEqualTo("analytics-orders event"));
        });
    }

    @Test
    void reportsHealthyOnActuator() {
        assertThat(mvc.get().uri("/actuator/health"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.status")
                .isEqualTo("UP");
    }

    @Test
    void invalidQueryParametersAreProblems() {
        assertThat(mvc.get().uri("/analytics/clicks/pages?minutes=0"))
                .hasStatus4xxClientError()
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.get().uri("/analytics/clicks/pages?minutes=100000"))
                .hasStatus(400)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.get().uri("/analytics/sessions/active?minutes=abc"))
                .hasStatus4xxClientError()
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aShardSplitDuringConsumptionLosesNothingAndCountsNothingTwice() {
        var start = Instant.now();
        env.put(AnalyticsEnvironment.clicks(run, 40, 10, start));

        // Split while the worker is reading: no wait for the first records to be counted.
        var kinesis = env.kinesis();
        var parent = kinesis.listShards(r -> r.streamName(env.stream())).shards().stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
                .findFirst()
                .orElseThrow();
        var low = new BigInteger(parent.hashKeyRange().startingHashKey());
        var high = new BigInteger(parent.hashKeyRange().endingHashKey());
        kinesis.splitShard(r -> r.streamName(env.stream())
                .shardToSplit(parent.shardId())
                .newStartingHashKey(low.add(high).shiftRight(1).toString()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kinesis.describeStreamSummary(r -> r.streamName(env.stream()))
                        .streamDescriptionSummary()
                        .streamStatusAsString()
                        .equals("ACTIVE"));

        // The same sessions go on clicking; records of the split shard's sessions now land on its children.
        env.put(AnalyticsEnvironment.clicks(run, 40, 10, start.plusSeconds(10)));

        awaitCounted(800);
        assertThat(jdbc.queryForObject(
                        "select coalesce(sum(out_of_order), 0) from session_activity where session_id like ?",
                        Long.class,
                        run + "-%"))
                .as("children are read only after their parent ended")
                .isZero();
        var leases = env.leases();
        assertThat(leases.get(parent.shardId())).containsEntry("checkpoint", "SHARD_END");
        var children = leases.values().stream()
                .filter(l -> parent.shardId().equals(l.get("parentShardId"))
                        || String.valueOf(l.get("parentShardIds")).contains(parent.shardId()))
                .toList();
        assertThat(children).hasSize(2);
    }

    @Test
    void ordersFeedTheFunnelHighValueCountAndDeliveryTimes() {
        var funnelBefore = funnel();
        var highValueBefore = json("/analytics/orders/high-value", "$.orders");
        var cancellationsBefore = json("/analytics/orders", "$.cancellationsRequested");
        var sessions = IntStream.range(0, 10).mapToObj(i -> run + "-f" + i).toList();
        env.put(sessions.stream()
                .map(s -> new Click(
                        s, AnalyticsEnvironment.click(UUID.randomUUID(), s, "/" + run + "/home", Instant.now())))
                .toList());
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(countedFor(run + "-f")).isEqualTo(10));

        var highValue = orderEvent(OrderEventAttributes.ORDER_PLACED, sessions.get(1), "1500.00");
        publishOrder(orderEvent(OrderEventAttributes.ORDER_PLACED, sessions.get(0), "50.00"));
        publishOrder(highValue);
        publishOrder(highValue); // SNS standard topics deliver at least once; this one twice
        publishOrder(orderEvent(OrderEventAttributes.ORDER_PLACED, sessions.get(2), "20.00"));
        publishOrder(orderEvent(OrderEventAttributes.ORDER_PLACED, run + "-no-clicks", "30.00"));
        publishOrder(orderEvent(OrderEventAttributes.ORDER_PLACED, null, "10.00"));
        publishOrder(orderEvent(OrderEventAttributes.ORDER_CANCELLED, sessions.get(3), "40.00"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            var funnel = funnel();
            assertThat(funnel[0] - funnelBefore[0]).as("sessions that clicked").isEqualTo(10);
            assertThat(funnel[1] - funnelBefore[1]).as("sessions that ordered").isEqualTo(4);
            assertThat(funnel[2] - funnelBefore[2])
                    .as("sessions that clicked and ordered")
                    .isEqualTo(3);
            assertThat(json("/analytics/orders/high-value", "$.orders") - highValueBefore)
                    .as("high-value orders, once each")
                    .isEqualTo(1);
            assertThat(json("/analytics/orders", "$.cancellationsRequested") - cancellationsBefore)
                    .as("OrderCancelled events: requests, not cancelled orders")
                    .isEqualTo(1);
        });

        var dispatched = Instant.parse("2026-11-20T08:00:00Z");
        publishShipment("ShipmentDispatched", "order-a", "shipment-a", dispatched);
        publishShipment("ShipmentDelivered", "order-a", "shipment-a", dispatched.plus(Duration.ofHours(2)));
        // A cancellation saga's answer (no shipmentId) ahead of order-b's milestones must not hold its FIFO group.
        publishCancellationAnswer("order-b");
        publishShipment("ShipmentDispatched", "order-b", "shipment-b", dispatched);
        publishShipment("ShipmentDelivered", "order-b", "shipment-b", dispatched.plus(Duration.ofHours(4)));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(mvc.get().uri("/analytics/deliveries"))
                        .hasStatusOk()
                        .bodyJson()
                        .satisfies(json -> {
                            assertThat(json).extractingPath("$.delivered").isEqualTo(2);
                            assertThat(json).extractingPath("$.average").isEqualTo("PT3H");
                        }));
        // The console's "one order's path": each event analytics counted for the order, by when it counted it.
        assertThat(mvc.get().uri("/analytics/orders/{id}/path", run + "order-a"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.hops[*].detail")
                .asArray()
                .hasSize(2)
                .anySatisfy(d -> assertThat(d).asString().startsWith("ShipmentDispatched"))
                .anySatisfy(d -> assertThat(d).asString().startsWith("ShipmentDelivered"));
        assertThat(mvc.get().uri("/analytics/orders/{id}/path", "never-seen"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.hops")
                .asArray()
                .isEmpty();
    }

    private long[] funnel() {
        return new long[] {
            json("/analytics/funnel", "$.sessionsClicked"),
            json("/analytics/funnel", "$.sessionsOrdered"),
            json("/analytics/funnel", "$.sessionsClickedAndOrdered")
        };
    }

    private long json(String uri, String path) {
        var body = mvc.get().uri(uri).exchange().getResponse();
        try {
            return ((Number) JsonPath.read(body.getContentAsString(), path)).longValue();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record OrderMessage(String body, String eventType, String total) {}

    private OrderMessage orderEvent(String type, String session, String total) {
        var body = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"" + type + "\",\"orderId\":\""
                + UUID.randomUUID()
                + "\",\"customerId\":\"c-1\"," + (session == null ? "" : "\"sessionId\":\"" + session + "\",")
                + "\"fulfillment\":\"SHIP\",\"country\":\"DE\",\"currency\":\"EUR\",\"total\":" + total
                + ",\"lines\":[],\"occurredAt\":\"" + Instant.now() + "\"}";
        return new OrderMessage(body, type, total);
    }

    private void publishOrder(OrderMessage order) {
        try (var sns = env.aws().sns()) {
            sns.publish(p -> p.topicArn(env.aws().topology().topicArn(Topology.ORDER_EVENTS))
                    .message(order.body())
                    .messageAttributes(Map.of(
                            OrderEventAttributes.EVENT_TYPE, attribute("String", order.eventType()),
                            OrderEventAttributes.FULFILLMENT, attribute("String", OrderEventAttributes.SHIP),
                            OrderEventAttributes.TOTAL, attribute("Number", order.total()),
                            OrderEventAttributes.COUNTRY, attribute("String", "DE"))));
        }
    }

    private void publishCancellationAnswer(String order) {
        var eventId = UUID.randomUUID().toString();
        var body = "{\"eventId\":\"" + eventId + "\",\"eventType\":\"ShipmentCancelled\",\"orderId\":\"" + run + order
                + "\",\"cancellationId\":\"" + UUID.randomUUID()
                + "\",\"reason\":\"nothing had been dispatched\",\"occurredAt\":\"" + Instant.now() + "\"}";
        try (var sns = env.aws().sns()) {
            sns.publish(p -> p.topicArn(env.aws().topology().topicArn(Topology.SHIPMENT_EVENTS))
                    .message(body)
                    .messageGroupId(run + order)
                    .messageDeduplicationId(eventId)
                    .messageAttributes(Map.of("eventType", attribute("String", "ShipmentCancelled"))));
        }
    }

    private void publishShipment(String type, String order, String shipment, Instant at) {
        var eventId = UUID.randomUUID().toString();
        var body = "{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + type + "\",\"orderId\":\"" + run + order
                + "\",\"shipmentId\":\"" + run + shipment
                + "\",\"carrier\":\"DHL\",\"trackingNumber\":\"t-1\",\"occurredAt\":\"" + at + "\"}";
        try (var sns = env.aws().sns()) {
            sns.publish(p -> p.topicArn(env.aws().topology().topicArn(Topology.SHIPMENT_EVENTS))
                    .message(body)
                    .messageGroupId(run + order)
                    .messageDeduplicationId(eventId)
                    .messageAttributes(Map.of("eventType", attribute("String", type))));
        }
    }

    private static MessageAttributeValue attribute(String type, String value) {
        return MessageAttributeValue.builder().dataType(type).stringValue(value).build();
    }

    private void awaitCounted(long expected) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(countedFor(run + "-s")).isEqualTo(expected));
        // And it stays there: nothing is counted twice later.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> countedFor(run + "-s") == expected);
    }

    private long countedFor(String sessionPrefix) {
        return jdbc.queryForObject(
                "select coalesce(sum(clicks), 0) from session_activity where session_id like ?",
                Long.class,
                sessionPrefix + "%");
    }
}
