package io.decoupled.shipping;

import static io.decoupled.shipping.LocalShipping.orderAttributes;
import static io.decoupled.shipping.LocalShipping.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.sns.AmazonSNSExtendedClient;
import software.amazon.sns.SNSExtendedClientConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * shipping-service end to end on the reference topology and embedded PostgreSQL: orders published to
 * order-events are shipped once and announced on shipment-events.fifo; duplicates, poison messages,
 * transient failures and the DLQ redrive behave as an operator expects. Each subclass names the AWS
 * environment (the embedded emulators, or LocalStack where Docker exists).
 */
@SpringBootTest(
        properties = {
            "shipping.consumer.retry.initial-backoff=1s",
            "shipping.consumer.retry.max-backoff=1s",
            // A retry budget of seconds, not minutes, so that a carrier failing for good reaches the DLQ within a test.
            "shipping.consumer.retry.budget=4s",
            "shipping.consumer.retry.circuit-open-for=2s",
            "shipping.outbox.relay.max-transient-entry-attempts=5",
            // No patience here (production waits an hour): the parking itself is what these tests see; the patience
            // is ShippingOutboxRepositoryTest's.
            "shipping.outbox.relay.transient-entry-patience=0s",
            "shipping.delivery.after=2s",
            "shipping.autoscaling.enabled=false",
            "shipping.redrive.depth-interval=1s",
            "shipping.admin.token=" + ShippingFlowContract.TOKEN
        })
@AutoConfigureMockMvc
@Import({ScriptedCarrier.Config.class, AwsFaults.Config.class, ShippingDatabaseFaults.Config.class})
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
abstract class ShippingFlowContract {
    static final String TOKEN = "test-admin-token-1234";
    private static final Duration ASYNC = Duration.ofSeconds(45);

    /** The environment the subclass registered with its {@code @DynamicPropertySource}. */
    abstract AwsEnvironment env();

    /** How "redrive all" must work on this environment. */
    abstract String expectedRedriveMode();

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ScriptedCarrier carrier;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JsonMapper json;

    @Autowired
    AwsFaults faults;

    @Autowired
    ShippingDatabaseFaults database;

    private SqsClient sqs;
    private SnsClient sns;

    @BeforeAll
    void clients() {
        sqs = env().sqs();
        sns = env().sns();
    }

    @AfterAll
    void close() {
        sqs.close();
        sns.close();
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
    void placedOrderIsShippedOnceAndAnnouncedInOrderOnTheFifoTopic() {
        var orderId = UUID.randomUUID();
        var eventId = UUID.randomUUID();
        // The order's trace, as order-service's relay sends it: a W3C traceparent message attribute.
        var traceId = orderId.toString().replace("-", "");
        var attributes = new HashMap<>(orderAttributes());
        attributes.put(
                "traceparent",
                MessageAttributeValue.builder()
                        .dataType("String")
                        .stringValue("00-" + traceId + "-00f067aa0ba902b7-01")
                        .build());
        sns.publish(p -> p.topicArn(topicArn(Topology.ORDER_EVENTS))
                .message(orderPlaced(eventId, orderId))
                .messageAttributes(attributes));

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(shipmentsOf(orderId)).isEqualTo(1));

        var events = new ArrayList<Message>();
        await().atMost(ASYNC).untilAsserted(() -> {
            events.addAll(receiveFifo(Topology.SHIPMENT_UPDATES, orderId));
            assertThat(events)
                    .extracting(m -> m.messageAttributes().get("eventType").stringValue())
                    .containsExactly("ShipmentDispatched", "ShipmentDelivered");
        });
        // Shipping's processing span continued the order's trace, and its outbox published that context.
        assertThat(events.getFirst().messageAttributes().get("traceparent").stringValue())
                .matches("00-" + traceId + "-[0-9a-f]{16}-01")
                .doesNotContain("00f067aa0ba902b7");
        var dispatched = json.readTree(events.getFirst().body());
        assertThat(dispatched.path("orderId").asString()).isEqualTo(orderId.toString());
        assertThat(dispatched.path("trackingNumber").asString()).isNotBlank();
        assertThat(events).allSatisfy(m -> {
            JsonNode body = json.readTree(m.body());
            assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                    .isEqualTo(orderId.toString());
            assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
                    .isEqualTo(body.path("eventId").asString());
        });
        assertThat(jdbc.sql("select status from shipment where order_id = ?")
                        .param(orderId)
                        .query(String.class)
                        .single())
                .isEqualTo("DELIVERED");
        // The order's path as the console reads it: received, shipped, delivered, each FIFO event committed and
        // published.
        await().atMost(ASYNC).untilAsserted(() -> assertThat(hops(orderId)).contains("FIFO event published"));
        assertThat(hops(orderId))
                .startsWith("received by shipping")
                .containsSubsequence("shipped", "delivered")
                .containsSubsequence("FIFO event committed", "FIFO event published");
        assertThat(hops(UUID.randomUUID())).isEmpty();
        assertThat(mvc.get().uri("/shipments/not-a-uuid/path"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private List<String> hops(UUID orderId) {
        var result = mvc.get().uri("/shipments/{id}/path", orderId).exchange();
        assertThat(result).hasStatusOk();
        var hops = new ArrayList<String>();
        json.readTree(result.getResponse().getContentAsByteArray())
                .path("hops")
                .forEach(h -> hops.add(h.path("hop").asString()));
        return hops;
    }

    @Test
    void deliveryIsConfirmedThroughTheDelayQueueNoSoonerThanItsDelayAndOnlyOnce() {
        var orderId = UUID.randomUUID();
        sqs.sendMessage(s ->
                s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(orderPlaced(UUID.randomUUID(), orderId)));

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(jdbc.sql("select status from shipment where order_id = ?")
                                .param(orderId)
                                .query(String.class)
                                .optional())
                        .contains("DELIVERED"));
        record Shipment(UUID id, Instant dispatched, Instant delivered) {}
        var shipment = jdbc.sql("select id, dispatched_at, delivered_at from shipment where order_id = ?")
                .param(orderId)
                .query((rs, n) -> new Shipment(
                        rs.getObject(1, UUID.class),
                        rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant()))
                .single();
        // The confirmation was sent at dispatch with DelaySeconds=2 (shipping.delivery.after): SQS held it back that
        // long.
        assertThat(Duration.between(shipment.dispatched(), shipment.delivered()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        // The same confirmation delivered again (at least once), with no delay: recognised, no second
        // ShipmentDelivered.
        double duplicatesBefore = counter("shipping.deliveries", "outcome", "duplicate");
        var again = json.writeValueAsString(Map.of("shipmentId", shipment.id(), "orderId", orderId));
        sqs.sendMessage(s -> s.queueUrl(queueUrl(Topology.SHIPMENT_DELIVERIES))
                .messageBody(again)
                .delaySeconds(0));
        await().atMost(ASYNC)
                .untilAsserted(
                        () -> assertThat(counter("shipping.deliveries", "outcome", "duplicate") - duplicatesBefore)
                                .isEqualTo(1));
        assertThat(jdbc.sql("select count(*) from outbox where group_id = ? and event_type = 'ShipmentDelivered'")
                        .param(orderId.toString())
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void redeliveredMessageDoesNotShipTwice(CapturedOutput output) {
        var orderId = UUID.randomUUID();
        var eventId = UUID.randomUUID();
        var body = orderPlaced(eventId, orderId);
        double duplicatesBefore = counter("shipping.messages.processed", "outcome", "duplicate");
        // The same event three times, as SQS's at-least-once delivery (or an SNS retry) may hand it over.
        sqs.sendMessageBatch(b -> b.queueUrl(queueUrl(Topology.SHIPPING_ORDERS))
                .entries(IntStream.range(0, 3)
                        .mapToObj(i -> SendMessageBatchRequestEntry.builder()
                                .id("copy-" + i)
                                .messageBody(body)
                                .build())
                        .toList()));

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(
                                counter("shipping.messages.processed", "outcome", "duplicate") - duplicatesBefore)
                        .isEqualTo(2));
        assertThat(shipmentsOf(orderId)).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from outbox where group_id = ? and event_type = 'ShipmentDispatched'")
                        .param(orderId.toString())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        // The duplicates were recognised by their claimed event id, not stopped by the shipment's unique order_id
        // (the second line of defence, which logs when it has to act): a broken claim fails here.
        assertThat(jdbc.sql("select count(*) from processed_event where event_id = ?")
                        .param(eventId)
                        .query(Long.class)
                        .single())
                .isOne();
        assertThat(output.getOut()).doesNotContain("Order " + orderId + " already has a shipment");
        // And a redelivery long after the first one changes nothing either: it is recognised before the carrier is
        // booked again (concurrent copies may each book, idempotently; a later one must not).
        int bookings = carrier.attempts(orderId).size();
        sqs.sendMessage(s -> s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(body));
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(
                                counter("shipping.messages.processed", "outcome", "duplicate") - duplicatesBefore)
                        .isEqualTo(3));
        assertThat(shipmentsOf(orderId)).isEqualTo(1);
        assertThat(carrier.attempts(orderId)).hasSize(bookings);
        assertThat(output.getOut()).doesNotContain("Order " + orderId + " already has a shipment");
    }

    @Test
    void anOrderInTheSnsEnvelopeShipsAsWellAsARawOne() {
        // What the queue would hold if the subscription's raw delivery were switched off.
        var orderId = UUID.randomUUID();
        var envelope = json.createObjectNode()
                .put("Type", "Notification")
                .put("MessageId", UUID.randomUUID().toString())
                .put("TopicArn", topicArn(Topology.ORDER_EVENTS))
                .put("Message", orderPlaced(UUID.randomUUID(), orderId))
                .put("Timestamp", "2026-11-22T10:15:30.000Z");
        sqs.sendMessage(
                s -> s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(json.writeValueAsString(envelope)));

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(shipmentsOf(orderId)).isEqualTo(1));
    }

    @Test
    void transientCarrierFailureIsRetriedInPlaceWithBackoffAndShipsOnce() {
        var orderId = UUID.randomUUID();
        carrier.failTimes(orderId, 2);
        double retriedBefore = counter("shipping.messages.retried", null, null);
        sqs.sendMessage(s ->
                s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(orderPlaced(UUID.randomUUID(), orderId)));

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(shipmentsOf(orderId)).isEqualTo(1));
        var attempts = carrier.attempts(orderId);
        assertThat(attempts).hasSize(3);
        // A backoff of at least 1 s between attempts, spent holding the message (hidden), not by receiving it again.
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(Duration.between(attempts.get(i - 1), attempts.get(i)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        assertThat(counter("shipping.messages.failed", "reason", "transient")).isGreaterThanOrEqualTo(2);
        assertThat(counter("shipping.messages.retried", null, null) - retriedBefore)
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aCarrierOutageOutlastingFiveReceivesSendsNothingToTheDeadLetterQueue() {
        var orderId = UUID.randomUUID();
        // More failures than maxReceiveCount: retried by receives alone, this good order would end in the DLQ.
        carrier.failTimes(orderId, 2 * Topology.MAX_RECEIVE_COUNT);
        sqs.sendMessage(s ->
                s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(orderPlaced(UUID.randomUUID(), orderId)));

        await().atMost(ASYNC.multipliedBy(2))
                .untilAsserted(() -> assertThat(shipmentsOf(orderId)).isEqualTo(1));
        assertThat(carrier.attempts(orderId)).hasSize(2 * Topology.MAX_RECEIVE_COUNT + 1);
        assertThat(peekBodies()).noneMatch(b -> b.contains(orderId.toString()));
    }

    @Test
    void aDatabaseOutageIsRiddenOutWithReceivingPausedAndNothingInTheDeadLetterQueue() {
        var orders = IntStream.range(0, 3).mapToObj(i -> UUID.randomUUID()).toList();
        double retriedBefore = counter("shipping.messages.retried", null, null);
        var circuit = meters.get("shipping.consumer.circuit.open").gauge();
        var circuitOpened = new AtomicBoolean();
        database.outage(true);
        try {
            orders.forEach(o -> sqs.sendMessage(s ->
                    s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(orderPlaced(UUID.randomUUID(), o))));
            // Held and retried in place against the outage, until the run of failures opens the receive circuit.
            await().atMost(ASYNC).until(() -> {
                circuitOpened.compareAndSet(false, circuit.value() == 1);
                return circuitOpened.get() && counter("shipping.messages.retried", null, null) - retriedBefore >= 6;
            });
        } finally {
            database.outage(false);
        }

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(orders)
                        .allSatisfy(o -> assertThat(shipmentsOf(o)).isEqualTo(1)));
        assertThat(database.refusedConnections()).isPositive();
        assertThat(orders)
                .allSatisfy(o -> assertThat(carrier.attempts(o))
                        .as("the database is asked before the carrier")
                        .hasSize(1));
        await().atMost(ASYNC).until(() -> circuit.value() == 0);
        assertThat(peekBodies()).noneMatch(b -> orders.stream().anyMatch(o -> b.contains(o.toString())));
    }

    @Test
    void poisonMessageReachesTheDeadLetterQueueAfterMaxReceiveCountAndNeverShips() {
        var marker = UUID.randomUUID().toString();
        var unparseable = "not json at all " + marker;
        var wrongShape =
                "{\"eventType\":\"OrderPlaced\",\"fulfillment\":\"SHIP\",\"orderId\":\"not-a-uuid\",\"marker\":\""
                        + marker + "\"}";
        double poisonBefore = counter("shipping.messages.failed", "reason", "poison");
        sqs.sendMessage(s -> s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(unparseable));
        sqs.sendMessage(s -> s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(wrongShape));

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(peekBodies())
                        .filteredOn(b -> b.contains(marker))
                        .hasSize(2));
        // Each was tried exactly maxReceiveCount times, then SQS moved it.
        assertThat(counter("shipping.messages.failed", "reason", "poison") - poisonBefore)
                .isEqualTo(2.0 * Topology.MAX_RECEIVE_COUNT);
        // Peeking did not consume them.
        assertThat(peekBodies()).filteredOn(b -> b.contains(marker)).hasSize(2);
        removeFromDeadLetterQueue(marker);
    }

    @Test
    void aBulkOrderOffloadedToS3IsResolvedAndShippedOnce() {
        var orderId = UUID.randomUUID();
        var eventId = UUID.randomUUID();
        var event = bulkOrderPlaced(eventId, orderId);
        assertThat(event.length()).isGreaterThan(256 * 1024);
        // As order-service's relay publishes an event too large for SNS: payload in S3, pointer and attributes on SNS.
        try (var s3 = env().s3()) {
            var publisher = new AmazonSNSExtendedClient(
                    sns,
                    new SNSExtendedClientConfiguration()
                            .withPayloadSupportEnabled(s3, Topology.LOCAL_PAYLOAD_BUCKET)
                            .withAlwaysThroughS3(true));
            publisher.publish(p ->
                    p.topicArn(topicArn(Topology.ORDER_EVENTS)).message(event).messageAttributes(orderAttributes()));
        }

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(shipmentsOf(orderId)).isEqualTo(1));
        // Once: the pointer is acknowledged, not delivered again.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> shipmentsOf(orderId) == 1);
        assertThat(peekBodies()).noneMatch(b -> b.contains(orderId.toString()));
        awaitDelivered(List.of(orderId));
    }

    /** Until the delivery confirmations are in: none of them may land in a later test's fault window. */
    private void awaitDelivered(List<UUID> orders) {
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(orders)
                        .allSatisfy(o -> assertThat(jdbc.sql("select status from shipment where order_id = ?")
                                        .param(o)
                                        .query(String.class)
                                        .single())
                                .isEqualTo("DELIVERED")));
    }

    @Test
    void aPointerWhoseObjectIsGoneIsSetAsideWithItsReasonAndDoesNotHoldBackTheOthers(CapturedOutput output) {
        var missingKey = UUID.randomUUID().toString();
        var pointer = "[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\""
                + Topology.LOCAL_PAYLOAD_BUCKET + "\",\"s3Key\":\"" + missingKey + "\"}]";
        var behind = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        double poisonBefore = counter("shipping.messages.failed", "reason", "poison");
        // The pointer first, published as the SNS Extended Client does (its size attribute beside the order's), the
        // good orders behind it.
        var attributes = new HashMap<>(orderAttributes());
        attributes.put(
                "ExtendedPayloadSize",
                MessageAttributeValue.builder()
                        .dataType("Number")
                        .stringValue("300000")
                        .build());
        sns.publish(p ->
                p.topicArn(topicArn(Topology.ORDER_EVENTS)).message(pointer).messageAttributes(attributes));
        behind.forEach(o -> sqs.sendMessage(
                s -> s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(orderPlaced(UUID.randomUUID(), o))));

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(behind)
                        .allSatisfy(o -> assertThat(shipmentsOf(o)).isEqualTo(1)));
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(peekBodies())
                        .filteredOn(b -> b.contains(missingKey))
                        .hasSize(1));
        // Poison on every receive (no waiting out backoffs), with the reason in the log.
        assertThat(counter("shipping.messages.failed", "reason", "poison") - poisonBefore)
                .isEqualTo(Topology.MAX_RECEIVE_COUNT);
        assertThat(output.getOut())
                .contains("offloaded payload s3://" + Topology.LOCAL_PAYLOAD_BUCKET + "/" + missingKey + " not found");
        removeFromDeadLetterQueue(missingKey);
        awaitDelivered(behind);
    }

    @Test
    void operatorRedrivesOnlyTheSelectedMessageOnceTheCauseIsFixed() {
        var fixedOrder = UUID.randomUUID();
        var otherOrder = UUID.randomUUID();
        // The carrier refuses these orders for longer than the retry budget of maxReceiveCount receives: both end in
        // the DLQ.
        carrier.failTimes(fixedOrder, 1000);
        carrier.failTimes(otherOrder, 1000);
        sqs.sendMessage(s ->
                s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(orderPlaced(UUID.randomUUID(), fixedOrder)));
        sqs.sendMessage(s ->
                s.queueUrl(queueUrl(Topology.SHIPPING_ORDERS)).messageBody(orderPlaced(UUID.randomUUID(), otherOrder)));
        var ids = new HashMap<UUID, String>();
        await().atMost(ASYNC.multipliedBy(3)).untilAsserted(() -> {
            for (var message : peek()) {
                for (var order : List.of(fixedOrder, otherOrder)) {
                    if (message.path("body").asString().contains(order.toString())) {
                        ids.put(order, message.path("messageId").asString());
                    }
                }
            }
            assertThat(ids).containsKeys(fixedOrder, otherOrder);
        });

        carrier.failTimes(fixedOrder, 0); // the cause is fixed
        var result = mvc.post()
                .uri("/admin/dlq/redrive-selected")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"messageIds\":[\"" + ids.get(fixedOrder) + "\",\"no-such-id\"]}")
                .exchange();
        assertThat(result)
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.redriven")
                .asArray()
                .containsExactly(ids.get(fixedOrder));
        assertThat(result).bodyJson().extractingPath("$.notFound").asArray().containsExactly("no-such-id");

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(shipmentsOf(fixedOrder)).isEqualTo(1));
        assertThat(shipmentsOf(otherOrder)).isZero();
        assertThat(peekBodies())
                .anyMatch(b -> b.contains(otherOrder.toString()))
                .noneMatch(b -> b.contains(fixedOrder.toString()));
        removeFromDeadLetterQueue(otherOrder.toString());
    }

    @Test
    void redriveAllUsesTheEnvironmentsMechanismAndLosesOrDuplicatesNothing() {
        var orders = IntStream.range(0, 25).mapToObj(i -> UUID.randomUUID()).toList();
        // Messages sit in the DLQ as if a past outage had sent them there.
        for (int from = 0; from < orders.size(); from += 10) {
            var chunk = orders.subList(from, Math.min(from + 10, orders.size()));
            sqs.sendMessageBatch(b -> b.queueUrl(queueUrl(Topology.SHIPPING_ORDERS_DLQ))
                    .entries(chunk.stream()
                            .map(o -> SendMessageBatchRequestEntry.builder()
                                    .id(o.toString())
                                    .messageBody(orderPlaced(UUID.randomUUID(), o))
                                    .build())
                            .toList()));
        }
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(
                                mvc.get().uri("/admin/dlq").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN))
                        .hasStatusOk()
                        .bodyJson()
                        .extractingPath("$.visible")
                        .asNumber()
                        .satisfies(n -> assertThat(n.intValue()).isGreaterThanOrEqualTo(25)));

        var started = mvc.post().uri("/admin/dlq/redrive").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN);
        assertThat(started)
                .hasStatus(HttpStatus.ACCEPTED)
                .bodyJson()
                .extractingPath("$.mode")
                .isEqualTo(expectedRedriveMode());

        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(mvc.get()
                                .uri("/admin/dlq/redrives")
                                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN))
                        .hasStatusOk()
                        .bodyJson()
                        .extractingPath("$[0].status")
                        .isEqualTo("COMPLETED"));
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(orders)
                        .allSatisfy(o -> assertThat(shipmentsOf(o)).isEqualTo(1)));
        assertThat(peekBodies()).noneMatch(b -> orders.stream().anyMatch(o -> b.contains(o.toString())));
        assertThat(counter("shipping.redrive.messages", "scope", "all")).isGreaterThanOrEqualTo(25);
    }

    @Test
    void adminEndpointsNeedTheToken() {
        assertThat(mvc.get().uri("/admin/dlq"))
                .hasStatus(HttpStatus.UNAUTHORIZED)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("Bearer");
        assertThat(mvc.post().uri("/admin/dlq/redrive").header(HttpHeaders.AUTHORIZATION, "Bearer wrong-token-wrong"))
                .hasStatus(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void badAdminInputIsAProblemNotAServerError() {
        var auth = "Bearer " + TOKEN;
        assertThat(mvc.post()
                        .uri("/admin/dlq/redrive-selected")
                        .header(HttpHeaders.AUTHORIZATION, auth)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"messageIds\":[]}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.post()
                        .uri("/admin/dlq/redrive-selected")
                        .header(HttpHeaders.AUTHORIZATION, auth)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{not json"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.get().uri("/admin/dlq/messages?max=0").header(HttpHeaders.AUTHORIZATION, auth))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.get().uri("/admin/dlq/messages?max=lots").header(HttpHeaders.AUTHORIZATION, auth))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void metricsAreExposedForTheDashboard() {
        assertThat(mvc.get().uri("/actuator/prometheus"))
                .hasStatusOk()
                .body()
                .asString()
                .contains(
                        "shipping_messages_received_total",
                        "shipping_messages_inflight",
                        "shipping_visibility_extensions_total",
                        "shipping_dlq_depth",
                        "shipping_sqs_requests_total",
                        "shipping_workers_busy",
                        // the cost meter's counters (platform/aws-calls), on every AWS client of the service
                        "aws_requests_total{aws_service=\"Sqs\",operation=\"ReceiveMessage\"",
                        "aws_requests_unbatched_total{aws_service=\"Sqs\",operation=\"ReceiveMessage\"",
                        "aws_requests_total{aws_service=\"Sns\"");
    }

    @Test
    void aShipmentEventSnsRefusesAsInvalidIsParkedAndHoldsBackOnlyItsOwnOrder() {
        var poisonedOrder = UUID.randomUUID();
        var poisoned = UUID.randomUUID();
        var heldBack = UUID.randomUUID();
        var others = new LinkedHashMap<UUID, UUID>();
        IntStream.range(0, 12).forEach(i -> others.put(UUID.randomUUID(), UUID.randomUUID()));
        faults.refuseCallsContaining(poisoned.toString());
        try {
            // One backlog, so the relay sends full batches: the poisoned event makes each of its calls invalid as a
            // whole.
            appendToOutbox(poisoned, poisonedOrder, heldBack, others);

            var published = collectShipmentEvents(others.values(), poisonedOrder);
            assertThat(published.keySet())
                    .as("every other order's event, exactly once, none of the poisoned order")
                    .containsExactlyInAnyOrderElementsOf(
                            others.keySet().stream().map(UUID::toString).toList());
            await().atMost(ASYNC)
                    .untilAsserted(() -> assertThat(jdbc.sql(
                                            "select parked_at is not null and attempts = 3 and last_error like 'InvalidParameter%' from outbox where event_id = ?")
                                    .param(poisoned)
                                    .query(Boolean.class)
                                    .single())
                            .isTrue());
            // The FIFO difference: the parked event holds back the later event of its own order, and only that.
            assertThat(jdbc.sql("select published_at is null and parked_at is null from outbox where event_id = ?")
                            .param(heldBack)
                            .query(Boolean.class)
                            .single())
                    .isTrue();
            assertThat(faults.invalidCalls()).isGreaterThan(3);
            assertThat(meters.get("shipping.outbox.parked.events")
                            .tag("reason", "InvalidParameter")
                            .counter()
                            .count())
                    .isPositive();
        } finally {
            faults.reset();
        }
    }

    @Test
    void aShipmentEventSnsKeepsFailingOnItsSideIsParkedAfterABoundedNumberOfAttempts() {
        var poisonedOrder = UUID.randomUUID();
        var poisoned = UUID.randomUUID();
        var heldBack = UUID.randomUUID();
        var others = new LinkedHashMap<UUID, UUID>();
        IntStream.range(0, 5).forEach(i -> others.put(UUID.randomUUID(), UUID.randomUUID()));
        faults.failTransientlyAlways(poisoned.toString());
        try {
            appendToOutbox(poisoned, poisonedOrder, heldBack, others);

            var published = collectShipmentEvents(others.values(), poisonedOrder);
            assertThat(published.keySet())
                    .containsExactlyInAnyOrderElementsOf(
                            others.keySet().stream().map(UUID::toString).toList());
            await().atMost(ASYNC)
                    .untilAsserted(() -> assertThat(jdbc.sql(
                                            "select parked_at is not null and attempts = 5 and last_error like 'InternalError%' from outbox where event_id = ?")
                                    .param(poisoned)
                                    .query(Boolean.class)
                                    .single())
                            .isTrue());
            assertThat(meters.get("shipping.outbox.parked").gauge().value()).isGreaterThanOrEqualTo(1);
        } finally {
            faults.reset();
        }
    }

    @Test
    void deletesSqsFailedBringTheMessagesBackAndNothingShipsTwice() {
        var orders = IntStream.range(0, 20).mapToObj(i -> UUID.randomUUID()).toList();
        double duplicatesBefore = counter("shipping.messages.processed", "outcome", "duplicate");
        int failedBefore = faults.failedDeletes();
        faults.failEveryOtherDelete(true);
        try {
            for (int from = 0; from < orders.size(); from += 10) {
                var chunk = orders.subList(from, from + 10);
                sqs.sendMessageBatch(b -> b.queueUrl(queueUrl(Topology.SHIPPING_ORDERS))
                        .entries(chunk.stream()
                                .map(o -> SendMessageBatchRequestEntry.builder()
                                        .id(o.toString())
                                        .messageBody(orderPlaced(UUID.randomUUID(), o))
                                        .build())
                                .toList()));
            }
            await().atMost(ASYNC)
                    .untilAsserted(() -> assertThat(orders)
                            .allSatisfy(o -> assertThat(shipmentsOf(o)).isEqualTo(1)));
            await().atMost(ASYNC).until(() -> faults.failedDeletes() > failedBefore);
        } finally {
            faults.failEveryOtherDelete(false);
        }
        int failed = faults.failedDeletes() - failedBefore;
        // Each message whose delete failed comes back after its visibility timeout, is recognised, and is deleted.
        await().atMost(ASYNC.multipliedBy(2))
                .untilAsserted(() -> assertThat(
                                counter("shipping.messages.processed", "outcome", "duplicate") - duplicatesBefore)
                        .isEqualTo(failed));
        assertThat(orders).allSatisfy(o -> {
            assertThat(shipmentsOf(o)).isEqualTo(1);
            assertThat(carrier.attempts(o))
                    .as("booked once; the redelivery is stopped before the carrier")
                    .hasSize(1);
            assertThat(jdbc.sql("select count(*) from outbox where group_id = ? and event_type = 'ShipmentDispatched'")
                            .param(o.toString())
                            .query(Long.class)
                            .single())
                    .isOne();
        });
    }

    @Test
    void shipmentEventsWrittenWhileSnsIsDownAreEachPublishedOnceWhenItIsBack() {
        var events = new LinkedHashMap<UUID, UUID>();
        IntStream.range(0, 15).forEach(i -> events.put(UUID.randomUUID(), UUID.randomUUID()));
        faults.snsOutage(true);
        try {
            events.forEach(this::appendToOutbox);
            // The relay keeps failing, so its circuit opens and the backlog shows.
            await().atMost(ASYNC).until(() -> {
                var open = meters.find("resilience4j.circuitbreaker.state")
                        .tag("name", "sns-publish")
                        .tag("state", "open")
                        .gauge();
                return open != null && open.value() == 1;
            });
            assertThat(meters.get("shipping.outbox.backlog").gauge().value()).isGreaterThanOrEqualTo(events.size());
        } finally {
            faults.snsOutage(false);
        }

        var published = collectShipmentEvents(
                events.values(), events.keySet().iterator().next());
        assertThat(published.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        events.keySet().stream().map(UUID::toString).toList());
        assertThat(jdbc.sql("select count(*) from outbox where parked_at is not null and group_id in (:groups)")
                        .param(
                                "groups",
                                events.keySet().stream().map(UUID::toString).toList())
                        .query(Long.class)
                        .single())
                .as("an outage parks nothing")
                .isZero();
    }

    private void appendToOutbox(UUID order, UUID event) {
        jdbc.sql("insert into outbox (event_id, group_id, event_type, payload) values (?, ?, 'ShipmentDispatched', ?)")
                .params(
                        event,
                        order.toString(),
                        "{\"eventId\":\"" + event + "\",\"eventType\":\"ShipmentDispatched\",\"orderId\":\"" + order
                                + "\"}")
                .update();
    }

    /** Writes the outbox rows directly, as a committed shipment would: the poisoned event and a later one of its order first. */
    private void appendToOutbox(UUID poisoned, UUID poisonedOrder, UUID heldBack, Map<UUID, UUID> others) {
        var rows = new ArrayList<Object[]>();
        rows.add(new Object[] {poisoned, poisonedOrder});
        rows.add(new Object[] {heldBack, poisonedOrder});
        others.forEach((order, event) -> rows.add(new Object[] {event, order}));
        for (var row : rows) {
            jdbc.sql(
                            "insert into outbox (event_id, group_id, event_type, payload) values (?, ?, 'ShipmentDispatched', ?)")
                    .params(
                            row[0],
                            row[1].toString(),
                            "{\"eventId\":\"" + row[0] + "\",\"eventType\":\"ShipmentDispatched\",\"orderId\":\""
                                    + row[1] + "\"}")
                    .update();
        }
    }

    /** Reads shipment-updates.fifo until every expected event arrived (and two quiet seconds more): order id to event ids. */
    private Map<String, List<String>> collectShipmentEvents(Collection<UUID> expectedEvents, UUID alsoWatch) {
        var byOrder = new ConcurrentHashMap<String, List<String>>();
        var url = queueUrl(Topology.SHIPMENT_UPDATES);
        Runnable drain = () -> {
            for (var m : sqs.receiveMessage(
                            r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()) {
                var body = json.readTree(m.body());
                var event = body.path("eventId").asString();
                if (expectedEvents.contains(UUID.fromString(event.isEmpty() ? new UUID(0, 0).toString() : event))
                        || m.body().contains(alsoWatch.toString())) {
                    byOrder.computeIfAbsent(body.path("orderId").asString(), k -> new CopyOnWriteArrayList<>())
                            .add(event);
                }
                sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        };
        await().atMost(ASYNC).untilAsserted(() -> {
            drain.run();
            assertThat(byOrder.values().stream().mapToInt(List::size).sum())
                    .isGreaterThanOrEqualTo(expectedEvents.size());
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
            drain.run();
            return true;
        });
        assertThat(byOrder.values())
                .as("no event twice")
                .allSatisfy(events -> assertThat(events).hasSize(1));
        return byOrder;
    }

    private List<JsonNode> peek() {
        var response = mvc.get()
                .uri("/admin/dlq/messages?max=100")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .exchange();
        assertThat(response).hasStatusOk();
        var list = new ArrayList<JsonNode>();
        json.readTree(response.getResponse().getContentAsByteArray()).forEach(list::add);
        return list;
    }

    private List<String> peekBodies() {
        return peek().stream().map(n -> n.path("body").asString()).toList();
    }

    private void removeFromDeadLetterQueue(String marker) {
        var url = queueUrl(Topology.SHIPPING_ORDERS_DLQ);
        await().atMost(ASYNC).untilAsserted(() -> {
            for (var m : sqs.receiveMessage(
                            r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(1))
                    .messages()) {
                if (m.body().contains(marker)) {
                    sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(m.receiptHandle()));
                }
            }
            assertThat(peekBodies()).noneMatch(b -> b.contains(marker));
        });
    }

    private List<Message> receiveFifo(String queue, UUID orderId) {
        var mine = new ArrayList<Message>();
        var url = queueUrl(queue);
        for (var m : sqs.receiveMessage(r -> r.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages()) {
            if (m.body().contains(orderId.toString())) {
                mine.add(m);
            }
            sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
        return mine;
    }

    /** An OrderPlaced of a bulk order: 3,000 lines of 64-character SKUs, about 330 KB, past SNS's 256 KiB. */
    private static String bulkOrderPlaced(UUID eventId, UUID orderId) {
        var lines = IntStream.range(0, 3_000)
                .mapToObj(i -> "{\"sku\":\"%064d\",\"quantity\":1,\"unitPrice\":1.25}".formatted(i))
                .collect(Collectors.joining(","));
        return orderPlaced(eventId, orderId)
                .replace("\"total\":61.50", "\"total\":3750.00")
                .replace("[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":30.75}]", "[" + lines + "]");
    }

    private long shipmentsOf(UUID orderId) {
        return jdbc.sql("select count(*) from shipment where order_id = ?")
                .param(orderId)
                .query(Long.class)
                .single();
    }

    private double counter(String name, String tag, String value) {
        var search = meters.find(name);
        var counter = (tag == null ? search : search.tag(tag, value)).counter();
        return counter == null ? 0 : counter.count();
    }

    private String queueUrl(String queue) {
        return env().topology().queueUrl(queue);
    }

    private String topicArn(String topic) {
        return env().topology().topicArn(topic);
    }
}
