package io.decoupled.order.shipment;

import static io.decoupled.topology.Topology.SHIPMENT_EVENTS;
import static io.decoupled.topology.Topology.SHIPMENT_UPDATES;
import static io.decoupled.topology.Topology.SHIPMENT_UPDATES_DLQ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.decoupled.order.OrderServiceITSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Shipment updates arrive the way shipping-service sends them: contract-shaped messages published to the SNS FIFO
 * topic (group = order id, deduplication id = event id) and fanned out to shipment-updates.fifo, which the service
 * consumes. Orders advance in order; duplicates and stale updates change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ShipmentUpdatesIT extends OrderServiceITSupport {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    private SnsClient sns;
    private String topicArn;

    @BeforeAll
    void connect() {
        sns = aws().sns();
        topicArn = aws().topology().topicArn(SHIPMENT_EVENTS);
    }

    @AfterAll
    void disconnect() {
        sns.close();
    }

    @Test
    void dispatchAndDeliveryAdvanceTheOrderInOrder() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        var dispatched = publish(order, "ShipmentDispatched");
        var delivered = publish(order, "ShipmentDelivered");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(status(order)).isEqualTo("DELIVERED"));
        assertThat(history(order)).containsExactly("PLACED", "SHIPPED", "DELIVERED");
        assertThat(causes(order)).containsExactly(null, dispatched.toString(), delivered.toString());
        // The order's path reads the same rows back, oldest first, with the outbox's publication.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(hops(order)).contains("published to SNS"));
        List<String> hops = hops(order);
        assertThat(hops)
                .startsWith("HTTP accepted")
                .contains("outbox committed")
                .containsSubsequence("outbox committed", "published to SNS")
                .containsSubsequence("status SHIPPED", "status DELIVERED");
        assertThat(hops.stream().filter("FIFO update applied"::equals)).hasSize(2);
    }

    @Test
    void manyOrdersUpdatedAtOnceEachSeeTheirUpdatesInOrder() {
        var orders = new ArrayList<String>();
        for (int i = 0; i < 15; i++) {
            orders.add(placeOrder("c-" + UUID.randomUUID(), "SHIP", "5.00"));
        }
        // Interleaved across orders, in order within each: FIFO keeps each order's group in sequence.
        orders.forEach(o -> publish(o, "ShipmentDispatched"));
        orders.forEach(o -> publish(o, "ShipmentDelivered"));

        await().atMost(Duration.ofSeconds(45))
                .untilAsserted(() -> assertThat(orders)
                        .allSatisfy(o -> assertThat(history(o)).containsExactly("PLACED", "SHIPPED", "DELIVERED")));
    }

    @Test
    void aRedeliveredUpdateChangesNothing() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        var duplicatesBefore =
                meters.counter("shipment.updates", "outcome", "DUPLICATE").count();
        var eventId = UUID.randomUUID();
        publish(order, "ShipmentDispatched", eventId, "first");
        // The same event again with another deduplication id gets past SNS FIFO, as a redelivery after its
        // five-minute window would: the consumer itself must recognise it.
        publish(order, "ShipmentDispatched", eventId, "second");
        var marker = publish(order, "ShipmentDelivered");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(outcome(marker)).isEqualTo("APPLIED"));
        assertThat(history(order)).containsExactly("PLACED", "SHIPPED", "DELIVERED");
        assertThat(jdbc.sql("select count(*) from processed_shipment_events where event_id = ?")
                        .param(eventId)
                        .query(Long.class)
                        .single())
                .isOne();
        // Recognised by its event id, not merely absorbed by the forward-only status rule.
        assertThat(meters.counter("shipment.updates", "outcome", "DUPLICATE").count())
                .isEqualTo(duplicatesBefore + 1);
    }

    @Test
    void aStaleUpdateChangesNothing() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        publish(order, "ShipmentDispatched");
        publish(order, "ShipmentDelivered");
        // A late dispatch (a second shipment event, say) after delivery must not move the order back.
        var stale = publish(order, "ShipmentDispatched");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(outcome(stale)).isEqualTo("STALE"));
        assertThat(status(order)).isEqualTo("DELIVERED");
        assertThat(history(order)).containsExactly("PLACED", "SHIPPED", "DELIVERED");
    }

    @Test
    void aCancelledOrderIsNotRevivedByAShipmentUpdate() {
        var order = placeOrder("c-" + UUID.randomUUID(), "DIGITAL", "30.00");
        assertThat(mvc.post().uri("/orders/{id}/cancel", order)).hasStatusOk();
        // Nothing should ship a cancelled order; if something claims it did, the order stays cancelled.
        var dispatched = publish(order, "ShipmentDispatched");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(outcome(dispatched)).isEqualTo("CANCELLED"));
        assertThat(status(order)).isEqualTo("CANCELLED");
    }

    @Test
    void anUpdateWithUnknownFieldsAndAnUnknownTypeIsAcknowledgedAndIgnored() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        var eventId = UUID.randomUUID();
        var body = """
                {"eventId":"%s","eventType":"ShipmentLost","orderId":"%s","shipmentId":"s","futureField":{"x":1},"occurredAt":"%s"}""".formatted(eventId, order, Instant.now());
        sns.publish(p ->
                p.topicArn(topicArn).message(body).messageGroupId(order).messageDeduplicationId(eventId.toString()));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(outcome(eventId)).isEqualTo("UNKNOWN_TYPE"));
        assertThat(status(order)).isEqualTo("PLACED");
    }

    @Test
    void theListenerContinuesTheTraceOfTheUpdatesTraceparent(CapturedOutput output) {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        var eventId = UUID.randomUUID();
        var traceId = UUID.randomUUID().toString().replace("-", "");
        var body = """
                {"eventId":"%s","eventType":"ShipmentLost","orderId":"%s","shipmentId":"s","occurredAt":"%s"}""".formatted(eventId, order, Instant.now());
        sns.publish(p -> p.topicArn(topicArn)
                .message(body)
                .messageGroupId(order)
                .messageDeduplicationId(eventId.toString())
                .messageAttributes(Map.of(
                        "traceparent",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("00-" + traceId + "-00f067aa0ba902b7-01")
                                .build())));

        // The "changed nothing" line is logged inside the listener's span: its trace id is the update's.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                output.getOut().lines().filter(line -> line.contains("Shipment event " + eventId)))
                        .singleElement()
                        .asString()
                        .contains("[" + traceId + ","));
    }

    @Test
    void anUnreadableUpdateIsSetAsideAndTheOrdersLaterUpdatesAreStillApplied() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        var marker = UUID.randomUUID().toString();
        var sqs = aws().sqs();
        var queueUrl = aws().topology().queueUrl(SHIPMENT_UPDATES);
        sqs.sendMessage(m -> m.queueUrl(queueUrl)
                .messageBody("{\"eventId\": not json " + marker)
                .messageGroupId(order)
                .messageDeduplicationId(marker));
        var dispatched = publish(order, "ShipmentDispatched");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(outcome(dispatched)).isEqualTo("APPLIED"));
        assertThat(rejectedReasons("body like '%" + marker + "%'"))
                .singleElement()
                .asString()
                .startsWith("StreamReadException")
                .doesNotContainPattern("\\p{Cntrl}");
        assertThat(meters.counter("shipment.updates.rejected", "kind", "unreadable")
                        .count())
                .isPositive();
    }

    @Test
    void anUpdateTheTablesCannotHoldIsSetAsideWithASanitisedReasonAndTheNextIsApplied() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        var poison = UUID.randomUUID();
        // A NUL in a text field (escaped in the JSON, so SQS carries it): PostgreSQL cannot store it (SQLState 22).
        var body = """
                {"eventId":"%s","eventType":"Shipment\\u0000Dispatched","orderId":"%s","shipmentId":"s","occurredAt":"%s"}""".formatted(poison, order, Instant.now());
        sns.publish(p ->
                p.topicArn(topicArn).message(body).messageGroupId(order).messageDeduplicationId(poison.toString()));
        var dispatched = publish(order, "ShipmentDispatched");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(outcome(dispatched)).isEqualTo("APPLIED"));
        assertThat(rejectedReasons("event_id = '" + poison + "'"))
                .singleElement()
                .asString()
                .doesNotContain("\u0000");
        assertThat(outcome(poison)).isEqualTo("NOT YET");
        assertThat(history(order)).containsExactly("PLACED", "SHIPPED");
    }

    @Test
    void aDatabaseOutageIsRiddenOutInPlaceWithoutRedeliveryOrReordering() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        var received = meters.counter("shipment.updates.received");
        var retries = meters.counter("shipment.updates.retries");
        double receivedBefore = received.count();
        double retriesBefore = retries.count();
        databaseFaults.outage(true);
        var dispatched = publish(order, "ShipmentDispatched");
        var delivered = publish(order, "ShipmentDelivered");

        // The first update is held and retried against the outage; the second waits behind it in its FIFO group.
        await().atMost(Duration.ofSeconds(60)).until(() -> retries.count() - retriesBefore >= 3);
        databaseFaults.outage(false);

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(history(order)).containsExactly("PLACED", "SHIPPED", "DELIVERED"));
        assertThat(causes(order)).containsExactly(null, dispatched.toString(), delivered.toString());
        // One receive per update: the outage cost no receive count, so nothing drifts towards the DLQ.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> received.count() - receivedBefore == 2);
        var dlq = probe(SHIPMENT_UPDATES_DLQ, Set.of(order));
        assertThat(dlq.drain()).isEmpty();
    }

    private List<String> rejectedReasons(String where) {
        return jdbc.sql("select reason from rejected_shipment_events where " + where)
                .query(String.class)
                .list();
    }

    private UUID publish(String orderId, String eventType) {
        var eventId = UUID.randomUUID();
        publish(orderId, eventType, eventId, eventId.toString());
        return eventId;
    }

    /** A message shaped as docs/contracts.md describes shipment-events.fifo. */
    private void publish(String orderId, String eventType, UUID eventId, String deduplicationId) {
        var body = """
                {"eventId":"%s","eventType":"%s","orderId":"%s","shipmentId":"%s","carrier":"DHL","trackingNumber":"T-%s","occurredAt":"%s"}""".formatted(eventId, eventType, orderId, UUID.randomUUID(), eventId, Instant.now());
        sns.publish(p -> p.topicArn(topicArn)
                .message(body)
                .messageGroupId(orderId)
                .messageDeduplicationId(deduplicationId)
                .messageAttributes(Map.of(
                        "eventType",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue(eventType)
                                .build())));
    }

    private String status(String orderId) {
        return JsonPath.read(body(mvc.get().uri("/orders/{id}", orderId).exchange()), "$.status");
    }

    private List<String> history(String orderId) {
        return JsonPath.read(body(mvc.get().uri("/orders/{id}", orderId).exchange()), "$.history[*].status");
    }

    private List<String> hops(String orderId) {
        return JsonPath.read(body(mvc.get().uri("/orders/{id}/path", orderId).exchange()), "$.hops[*].hop");
    }

    private List<String> causes(String orderId) {
        return JsonPath.read(body(mvc.get().uri("/orders/{id}", orderId).exchange()), "$.history[*].causeEventId");
    }

    private String outcome(UUID eventId) {
        return jdbc.sql("select outcome from processed_shipment_events where event_id = ?")
                .param(eventId)
                .query(String.class)
                .optional()
                .orElse("NOT YET");
    }
}
