package io.decoupled.shipping.consumer;

import static io.decoupled.shipping.LocalShipping.aws;
import static io.decoupled.shipping.LocalShipping.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.shipping.LocalShipping;
import io.decoupled.shipping.ScriptedCarrier;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The visibility heartbeat on a queue whose visibility timeout is 3 s: work three times as long keeps its
 * message invisible to a competing consumer (this test, polling the same queue), is recorded once, and a
 * handler that outlives the configured maximum does not hide its message beyond it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "shipping.consumer.heartbeat.threshold=1s",
        "shipping.consumer.heartbeat.interval=1s",
        "shipping.consumer.heartbeat.max-visibility=14s",
        "shipping.autoscaling.enabled=false",
        "shipping.consumer.shutdown-timeout=2s",
        "shipping.outbox.enabled=false"})
@Import(ScriptedCarrier.Config.class)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VisibilityHeartbeatIT {
    private static final Duration VISIBILITY = Duration.ofSeconds(3);
    private static final LocalShipping.QueuePair QUEUE = LocalShipping.queuePair("heartbeat", VISIBILITY);

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LocalShipping.register(registry, "shipping_heartbeat");
        registry.add("shipping.consumer.queue", QUEUE::name);
        registry.add("shipping.redrive.source-queue", QUEUE::name);
        registry.add("shipping.redrive.dead-letter-queue", QUEUE::deadLetterName);
    }

    @Autowired
    ScriptedCarrier carrier;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MeterRegistry meters;

    private SqsClient secondConsumer;

    @BeforeAll
    void connect() {
        secondConsumer = aws().sqs();
    }

    @AfterAll
    void disconnect() {
        secondConsumer.close();
    }

    @Test
    void workThreeTimesTheVisibilityTimeoutIsNeverSeenByASecondConsumerAndShipsOnce() {
        var orderId = UUID.randomUUID();
        carrier.latency(orderId, VISIBILITY.multipliedBy(3));
        double extensionsBefore = meters.counter("shipping.visibility.extensions").count();
        secondConsumer.sendMessage(s -> s.queueUrl(QUEUE.url()).messageBody(orderPlaced(UUID.randomUUID(), orderId)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !carrier.attempts(orderId).isEmpty());

        // Compete for the message for as long as the work lasts; without the heartbeat it reappears after 3 s.
        var stolen = new ArrayList<Message>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            stolen.addAll(competingReceive(orderId));
            return shipments(orderId) == 1;
        });
        stolen.addAll(competingReceive(orderId));

        assertThat(stolen).isEmpty();
        assertThat(carrier.attempts(orderId)).hasSize(1);
        assertThat(shipments(orderId)).isEqualTo(1);
        assertThat(meters.counter("shipping.visibility.extensions").count() - extensionsBefore).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aHandlerThatOutlivesTheMaximumVisibilityLosesItsMessageToTheNextConsumer() {
        var orderId = UUID.randomUUID();
        carrier.latency(orderId, Duration.ofSeconds(40));
        secondConsumer.sendMessage(s -> s.queueUrl(QUEUE.url()).messageBody(orderPlaced(UUID.randomUUID(), orderId)));

        // The service's own poller is the next consumer: it receives the message again once it reappears.
        await().atMost(Duration.ofSeconds(40)).until(() -> carrier.attempts(orderId).size() >= 2);
        var attempts = carrier.attempts(orderId);
        // Extended while under the 14 s maximum, then left to expire: it came back after about 14 s, not 3 s.
        assertThat(Duration.between(attempts.get(0), attempts.get(1))).isBetween(Duration.ofSeconds(12), Duration.ofSeconds(20));
        assertThat(shipments(orderId)).isZero();
    }

    private List<Message> competingReceive(UUID orderId) {
        return secondConsumer.receiveMessage(r -> r.queueUrl(QUEUE.url()).maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(30))
                .messages().stream().filter(m -> m.body().contains(orderId.toString())).toList();
    }

    private long shipments(UUID orderId) {
        return jdbc.sql("select count(*) from shipment where order_id = ?").param(orderId).query(Long.class).single();
    }

}
