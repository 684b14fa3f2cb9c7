package io.decoupled.shipping;

import static io.decoupled.shipping.LocalShipping.cancelAttributes;
import static io.decoupled.shipping.LocalShipping.orderAttributes;
import static io.decoupled.shipping.LocalShipping.orderCancelled;
import static io.decoupled.shipping.LocalShipping.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * shipping-service's side of the cancellation saga (docs/saga.md) on the emulators: a cancellation that arrives
 * before the dispatch (even while the carrier is booking, even before its OrderPlaced) means the order never
 * ships; one that arrives after the dispatch is refused with its reason; either answer is announced once per
 * request on shipment-events.fifo, in the order's message group.
 */
@SpringBootTest(
        properties = {
            "shipping.consumer.retry.initial-backoff=1s",
            "shipping.consumer.retry.max-backoff=1s",
            // Delivery far away: a refused cancellation sees the shipment DISPATCHED, deterministically.
            "shipping.delivery.after=10m",
            // The idle service's floor (shipping.autoscaling.min-workers): one worker books, the spare one decides the
            // cancel.
            "shipping.consumer.workers=2",
            "shipping.autoscaling.enabled=false"
        })
@Import(ScriptedCarrier.Config.class)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShipmentCancellationIT {
    private static final Duration ASYNC = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LocalShipping.register(registry, SharedAwsEnvironments.embedded(), "shipping_saga");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ScriptedCarrier carrier;

    @Autowired
    JsonMapper json;

    @Autowired
    MeterRegistry meters;

    private final AwsEnvironment env = SharedAwsEnvironments.embedded();
    private SqsClient sqs;
    private SnsClient sns;

    @BeforeAll
    void clients() {
        sqs = env.sqs();
        sns = env.sns();
    }

    @AfterAll
    void close() {
        sqs.close();
        sns.close();
    }

    @Test
    void anOrderCancelledWhileTheCarrierIsStillBookingIsNeverShippedAndTheCancellationIsAnnounced() {
        var orderId = UUID.randomUUID();
        var placedId = UUID.randomUUID();
        var cancelId = UUID.randomUUID();
        carrier.hold(orderId);
        // Both through the topic: the shipping-orders filter policy lets a SHIP order's cancellation through.
        sns.publish(p ->
                p.topicArn(topicArn()).message(orderPlaced(placedId, orderId)).messageAttributes(orderAttributes()));
        await().atMost(ASYNC).until(() -> !carrier.attempts(orderId).isEmpty());
        sns.publish(p -> p.topicArn(topicArn())
                .message(orderCancelled(cancelId, orderId))
                .messageAttributes(cancelAttributes()));
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(eventTypes(orderId)).containsExactly("ShipmentCancelled"));

        carrier.release(orderId);
        // The OrderPlaced is decided (its id claimed in the decision's transaction), and the cancellation won.
        await().atMost(ASYNC).until(() -> processed(placedId));
        assertThat(shipmentsOf(orderId)).isZero();
        assertThat(eventTypes(orderId)).containsExactly("ShipmentCancelled");

        // The answer reaches order-service's queue in the order's group and names the request it answers.
        var answers = new ArrayList<Message>();
        await().atMost(ASYNC).untilAsserted(() -> {
            answers.addAll(receiveFifo(orderId));
            assertThat(answers).hasSize(1);
        });
        var answer = answers.getFirst();
        var body = json.readTree(answer.body());
        assertThat(body.path("eventType").asString()).isEqualTo("ShipmentCancelled");
        assertThat(body.path("cancellationId").asString()).isEqualTo(cancelId.toString());
        assertThat(body.path("reason").asString()).isNotBlank();
        assertThat(answer.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .isEqualTo(orderId.toString());
        assertThat(answer.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
                .isEqualTo(body.path("eventId").asString());
    }

    @Test
    void aCancellationAfterTheDispatchIsRefusedWithTheReasonAndTheShipmentStays() {
        var orderId = UUID.randomUUID();
        var cancelId = UUID.randomUUID();
        send(orderPlaced(UUID.randomUUID(), orderId));
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(shipmentsOf(orderId)).isEqualTo(1));

        send(orderCancelled(cancelId, orderId));
        await().atMost(ASYNC)
                .untilAsserted(() ->
                        assertThat(eventTypes(orderId)).containsExactly("ShipmentDispatched", "CancellationRefused"));
        var refusal = payloads(orderId).getLast();
        var tracking = jdbc.sql("select tracking_number from shipment where order_id = ?")
                .param(orderId)
                .query(String.class)
                .single();
        assertThat(refusal.path("cancellationId").asString()).isEqualTo(cancelId.toString());
        assertThat(refusal.path("shipmentStatus").asString()).isEqualTo("DISPATCHED");
        assertThat(refusal.path("trackingNumber").asString()).isEqualTo(tracking);
        assertThat(refusal.path("reason").asString()).contains("dispatched", tracking);
        assertThat(jdbc.sql("select count(*) from cancellation where order_id = ?")
                        .param(orderId)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(shipmentsOf(orderId)).isEqualTo(1);
    }

    @Test
    void aCancellationThatArrivesBeforeItsOrderPlacedIsRememberedAndTheOrderNeverShips() {
        // Also the cancellation of an order shipping has never heard of: answered, and remembered in case it comes.
        var orderId = UUID.randomUUID();
        var placedId = UUID.randomUUID();
        send(orderCancelled(UUID.randomUUID(), orderId));
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(eventTypes(orderId)).containsExactly("ShipmentCancelled"));
        assertThat(jdbc.sql("select count(*) from cancellation where order_id = ?")
                        .param(orderId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        send(orderPlaced(placedId, orderId));
        await().atMost(ASYNC).until(() -> processed(placedId));
        assertThat(shipmentsOf(orderId)).isZero();
        // Not even booked: the carrier was never asked.
        assertThat(carrier.attempts(orderId)).isEmpty();
        assertThat(eventTypes(orderId)).containsExactly("ShipmentCancelled");
    }

    @Test
    void aDuplicatedCancellationIsAnsweredOnceAndASecondRequestGetsTheSameAnswer() {
        var orderId = UUID.randomUUID();
        var request = orderCancelled(UUID.randomUUID(), orderId);
        double duplicatesBefore = duplicates();
        // The same request three times at once (at-least-once delivery), then another request for the same order.
        sqs.sendMessageBatch(b -> b.queueUrl(queueUrl())
                .entries(IntStream.range(0, 3)
                        .mapToObj(i -> SendMessageBatchRequestEntry.builder()
                                .id("copy-" + i)
                                .messageBody(request)
                                .build())
                        .toList()));
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(eventTypes(orderId)).containsExactly("ShipmentCancelled"));
        var second = UUID.randomUUID();
        send(orderCancelled(second, orderId));
        await().atMost(ASYNC)
                .untilAsserted(() ->
                        assertThat(eventTypes(orderId)).containsExactly("ShipmentCancelled", "ShipmentCancelled"));
        assertThat(payloads(orderId).getLast().path("cancellationId").asString())
                .isEqualTo(second.toString());
        // Redelivering the first request much later still changes nothing.
        send(request);
        await().atMost(ASYNC)
                .untilAsserted(() -> assertThat(duplicates() - duplicatesBefore).isEqualTo(3));
        assertThat(eventTypes(orderId)).hasSize(2);
        assertThat(jdbc.sql("select count(*) from cancellation where order_id = ?")
                        .param(orderId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    private double duplicates() {
        var counter = meters.find("shipping.messages.processed")
                .tag("outcome", "duplicate")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private void send(String body) {
        sqs.sendMessage(s -> s.queueUrl(queueUrl()).messageBody(body));
    }

    private boolean processed(UUID eventId) {
        return jdbc.sql("select exists (select 1 from processed_event where event_id = ?)")
                .param(eventId)
                .query(Boolean.class)
                .single();
    }

    private List<String> eventTypes(UUID orderId) {
        return jdbc.sql("select event_type from outbox where group_id = ? order by id")
                .param(orderId.toString())
                .query(String.class)
                .list();
    }

    private List<JsonNode> payloads(UUID orderId) {
        return jdbc
                .sql("select payload from outbox where group_id = ? order by id")
                .param(orderId.toString())
                .query(String.class)
                .list()
                .stream()
                .map(json::readTree)
                .toList();
    }

    private List<Message> receiveFifo(UUID orderId) {
        var mine = new ArrayList<Message>();
        var url = env.topology().queueUrl(Topology.SHIPMENT_UPDATES);
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

    private long shipmentsOf(UUID orderId) {
        return jdbc.sql("select count(*) from shipment where order_id = ?")
                .param(orderId)
                .query(Long.class)
                .single();
    }

    private String queueUrl() {
        return env.topology().queueUrl(Topology.SHIPPING_ORDERS);
    }

    private String topicArn() {
        return env.topology().topicArn(Topology.ORDER_EVENTS);
    }
}
