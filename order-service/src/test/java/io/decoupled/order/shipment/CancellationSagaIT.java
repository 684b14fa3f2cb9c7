package io.decoupled.order.shipment;

import static io.decoupled.topology.Topology.SHIPMENT_EVENTS;
import static io.decoupled.topology.Topology.SHIPPING_ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.decoupled.order.OrderServiceITSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * order-service's side of the cancellation saga (docs/saga.md) on the emulators: a SHIP order's cancellation is a
 * request published to order-events (and filtered to shipping-orders); the order waits in CANCELLING until shipping's
 * answer arrives on shipment-events.fifo, the way shipping-service publishes it (group = order id). Answers are
 * applied once, in any order the FIFO group allows, and the history tells the whole conversation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancellationSagaIT extends OrderServiceITSupport {
    private static final Duration ASYNC = Duration.ofSeconds(30);

    @Autowired
    JdbcClient jdbc;

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
    void aShipOrderCancelledBeforeDispatchWaitsForShippingAndEndsCancelled() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        var shipping = probe(SHIPPING_ORDERS, Set.of(order));
        assertThat(mvc.post().uri("/orders/{id}/cancel", order))
                .hasStatus(202)
                .bodyJson()
                .extractingPath("$.status")
                .isEqualTo("CANCELLING");

        // The request shipping receives; its event id is what shipping's answer names.
        var request = await().atMost(ASYNC)
                .until(
                        () -> shipping.drain().stream()
                                .filter(r -> r.text("eventType").equals("OrderCancelled"))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        var answer = publishCancelled(order, UUID.fromString(request.text("eventId")), "nothing had been dispatched");

        await().atMost(ASYNC).untilAsserted(() -> assertThat(status(order)).isEqualTo("CANCELLED"));
        assertThat(history(order, "status")).containsExactly("PLACED", "CANCELLING", "CANCELLED");
        assertThat(history(order, "note")).last().asString().contains("nothing had been dispatched");
        assertThat(history(order, "causeEventId")).last().isEqualTo(answer.toString());
    }

    @Test
    void aRefusedCancellationReturnsTheOrderToItsShippingStatusWithTheReason() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        assertThat(mvc.post().uri("/orders/{id}/cancel", order)).hasStatus(202);
        // Shipping dispatched before the request reached it: its FIFO group carries the dispatch, then the refusal.
        publish(order, "ShipmentDispatched", "");
        var refusal = publishRefused(order, "DISPATCHED", "the parcel was dispatched with DHL (tracking T-1)");

        await().atMost(ASYNC).untilAsserted(() -> assertThat(outcome(refusal)).isIn("APPLIED", "NOTED"));
        assertThat(status(order)).isEqualTo("SHIPPED");
        assertThat(history(order, "status")).containsExactly("PLACED", "CANCELLING", "SHIPPED", "SHIPPED");
        assertThat(history(order, "note")).last().asString().contains("refused", "tracking T-1");
        // And the order is not stuck: delivery still moves it on.
        publish(order, "ShipmentDelivered", "");
        await().atMost(ASYNC).untilAsserted(() -> assertThat(status(order)).isEqualTo("DELIVERED"));
    }

    @Test
    void aRefusalThatArrivesFirstStillReturnsThePendingOrderToWhereTheShipmentIs() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        assertThat(mvc.post().uri("/orders/{id}/cancel", order)).hasStatus(202);
        var refusal = publishRefused(order, "DELIVERED", "the parcel was delivered");

        await().atMost(ASYNC).untilAsserted(() -> assertThat(outcome(refusal)).isEqualTo("APPLIED"));
        assertThat(status(order)).isEqualTo("DELIVERED");
        assertThat(history(order, "status")).containsExactly("PLACED", "CANCELLING", "DELIVERED");
        // A dispatch that straggles in afterwards is stale.
        var late = publish(order, "ShipmentDispatched", "");
        await().atMost(ASYNC).untilAsserted(() -> assertThat(outcome(late)).isEqualTo("STALE"));
        assertThat(status(order)).isEqualTo("DELIVERED");
    }

    @Test
    void duplicateCancelsSendOneRequestAndARepeatedAnswerChangesNothing() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        for (int i = 0; i < 3; i++) {
            assertThat(mvc.post().uri("/orders/{id}/cancel", order)).hasStatus(202);
        }
        assertThat(jdbc.sql("select count(*) from outbox where aggregate_id = ? and event_type = 'OrderCancelled'")
                        .param(order)
                        .query(Long.class)
                        .single())
                .isOne();

        var answer = UUID.randomUUID();
        // Deduplication ids unique to this run: the FIFO queue remembers them for five minutes across tests.
        publishCancelled(order, answer, UUID.randomUUID(), answer + "-first", "nothing had been dispatched");
        // The same answer past SNS FIFO's deduplication window, and a second answer (to a second request) with a new
        // id.
        publishCancelled(order, answer, UUID.randomUUID(), answer + "-again", "nothing had been dispatched");
        var second = publishCancelled(order, UUID.randomUUID(), "already cancelled");

        await().atMost(ASYNC).untilAsserted(() -> assertThat(outcome(second)).isEqualTo("STALE"));
        assertThat(outcome(answer)).isEqualTo("APPLIED");
        assertThat(jdbc.sql("select count(*) from processed_shipment_events where event_id = ?")
                        .param(answer)
                        .query(Long.class)
                        .single())
                .isOne();
        assertThat(history(order, "status")).containsExactly("PLACED", "CANCELLING", "CANCELLED");
        // Once cancelled, cancelling again is a 200 no-op.
        assertThat(mvc.post().uri("/orders/{id}/cancel", order))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.status")
                .isEqualTo("CANCELLED");
    }

    @Test
    void anAnswerNobodyAskedForIsRecordedAndIgnored() {
        var order = placeOrder("c-" + UUID.randomUUID(), "SHIP", "30.00");
        var unasked = publishCancelled(order, UUID.randomUUID(), "nothing had been dispatched");
        var unknownOrder = UUID.randomUUID().toString();
        var stray = publishCancelled(unknownOrder, UUID.randomUUID(), "nothing had been dispatched");

        await().atMost(ASYNC).untilAsserted(() -> {
            assertThat(outcome(unasked)).isEqualTo("UNEXPECTED");
            assertThat(outcome(stray)).isEqualTo("UNKNOWN_ORDER");
        });
        assertThat(status(order)).isEqualTo("PLACED");
        assertThat(history(order, "status")).containsExactly("PLACED");
    }

    private UUID publish(String orderId, String eventType, String extraFields) {
        var eventId = UUID.randomUUID();
        var body = """
                {"eventId":"%s","eventType":"%s","orderId":"%s","shipmentId":"%s","carrier":"DHL","trackingNumber":"T-1",%s"occurredAt":"%s"}""".formatted(eventId, eventType, orderId, UUID.randomUUID(), extraFields, Instant.now());
        sns.publish(p -> p.topicArn(topicArn)
                .message(body)
                .messageGroupId(orderId)
                .messageDeduplicationId(eventId + "-" + UUID.randomUUID()));
        return eventId;
    }

    private UUID publishCancelled(String orderId, UUID cancellationId, String reason) {
        var eventId = UUID.randomUUID();
        publishCancelled(orderId, eventId, cancellationId, eventId.toString(), reason);
        return eventId;
    }

    /** A ShipmentCancelled as docs/contracts.md defines it. */
    private void publishCancelled(
            String orderId, UUID eventId, UUID cancellationId, String deduplicationId, String reason) {
        var body = """
                {"eventId":"%s","eventType":"ShipmentCancelled","orderId":"%s","cancellationId":"%s","reason":"%s","occurredAt":"%s"}""".formatted(eventId, orderId, cancellationId, reason, Instant.now());
        sns.publish(p ->
                p.topicArn(topicArn).message(body).messageGroupId(orderId).messageDeduplicationId(deduplicationId));
    }

    /** A CancellationRefused as docs/contracts.md defines it. */
    private UUID publishRefused(String orderId, String shipmentStatus, String reason) {
        var eventId = UUID.randomUUID();
        var body = """
                {"eventId":"%s","eventType":"CancellationRefused","orderId":"%s","cancellationId":"%s","shipmentId":"%s",
                 "shipmentStatus":"%s","carrier":"DHL","trackingNumber":"T-1","reason":"%s","occurredAt":"%s"}""".formatted(
                        eventId, orderId, UUID.randomUUID(), UUID.randomUUID(), shipmentStatus, reason, Instant.now());
        sns.publish(p ->
                p.topicArn(topicArn).message(body).messageGroupId(orderId).messageDeduplicationId(eventId.toString()));
        return eventId;
    }

    private String status(String orderId) {
        return JsonPath.read(body(mvc.get().uri("/orders/{id}", orderId).exchange()), "$.status");
    }

    private List<Object> history(String orderId, String field) {
        List<Map<String, Object>> steps =
                JsonPath.read(body(mvc.get().uri("/orders/{id}", orderId).exchange()), "$.history");
        return steps.stream().map(step -> step.get(field)).toList();
    }

    private String outcome(UUID eventId) {
        return jdbc.sql("select outcome from processed_shipment_events where event_id = ?")
                .param(eventId)
                .query(String.class)
                .optional()
                .orElse("NOT YET");
    }
}
