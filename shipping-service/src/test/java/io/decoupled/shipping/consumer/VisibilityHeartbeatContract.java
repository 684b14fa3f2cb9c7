package io.decoupled.shipping.consumer;

import static io.decoupled.shipping.LocalShipping.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsEnvironment;
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
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The visibility heartbeat on a queue whose visibility timeout is 3 s: work three times as long keeps its
 * message invisible to a competing consumer (this test, polling the same queue), is recorded once, and a
 * handler that outlives the configured maximum does not hide its message beyond it. Each subclass names the
 * AWS environment.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "shipping.consumer.heartbeat.threshold=1s",
            "shipping.consumer.heartbeat.interval=1s",
            "shipping.consumer.heartbeat.max-visibility=14s",
            "shipping.autoscaling.enabled=false",
            "shipping.consumer.shutdown-timeout=2s",
            "shipping.outbox.relay.enabled=false"
        })
@Import(ScriptedCarrier.Config.class)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class VisibilityHeartbeatContract {
    static final Duration VISIBILITY = Duration.ofSeconds(3);

    /** Registers the environment and a queue pair with a 3 s visibility timeout; subclasses call it. */
    static LocalShipping.QueuePair register(DynamicPropertyRegistry registry, AwsEnvironment env, String database) {
        var queue = LocalShipping.queuePair(env, "heartbeat", VISIBILITY);
        LocalShipping.register(registry, env, database);
        registry.add("shipping.consumer.queue", queue::name);
        registry.add("shipping.redrive.source-queue", queue::name);
        registry.add("shipping.redrive.dead-letter-queue", queue::deadLetterName);
        return queue;
    }

    abstract AwsEnvironment env();

    /** The queue pair the subclass registered. */
    abstract LocalShipping.QueuePair queue();

    @Autowired
    ScriptedCarrier carrier;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    private SqsClient secondConsumer;

    @BeforeAll
    void connect() {
        secondConsumer = env().sqs();
    }

    @AfterAll
    void disconnect() {
        secondConsumer.close();
    }

    @Test
    void workThreeTimesTheVisibilityTimeoutIsNeverSeenByASecondConsumerAndShipsOnce() {
        // Three long orders in flight together, so the heartbeat has something to batch.
        var orders = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        orders.forEach(o -> carrier.latency(o, VISIBILITY.multipliedBy(3)));
        double extensionsBefore =
                meters.counter("shipping.visibility.extensions").count();
        double callsBefore = visibilityCalls();
        orders.forEach(o -> secondConsumer.sendMessage(
                s -> s.queueUrl(queue().url()).messageBody(orderPlaced(UUID.randomUUID(), o))));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> orders.stream().noneMatch(o -> carrier.attempts(o).isEmpty()));

        // Compete for the messages for as long as the work lasts; without the heartbeat they reappear after 3 s.
        var stolen = new ArrayList<Message>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    stolen.addAll(competingReceive(orders));
                    return orders.stream().allMatch(o -> shipments(o) == 1);
                });
        stolen.addAll(competingReceive(orders));

        assertThat(stolen).isEmpty();
        assertThat(orders).allSatisfy(o -> {
            assertThat(carrier.attempts(o)).hasSize(1);
            assertThat(shipments(o)).isEqualTo(1);
        });
        double extensions = meters.counter("shipping.visibility.extensions").count() - extensionsBefore;
        double calls = visibilityCalls() - callsBefore;
        assertThat(extensions).isGreaterThanOrEqualTo(2.0 * orders.size());
        // Batched across in-flight messages: fewer ChangeMessageVisibilityBatch calls than extensions.
        assertThat(calls).isLessThan(extensions);
        System.out.printf(
                "heartbeat: %.0f extensions in %.0f calls for %d messages%n", extensions, calls, orders.size());
    }

    private double visibilityCalls() {
        return meters.counter("shipping.sqs.requests", "operation", "ChangeMessageVisibilityBatch")
                .count();
    }

    @Test
    void aHandlerThatOutlivesTheMaximumVisibilityLosesItsMessageToTheNextConsumer() {
        var orderId = UUID.randomUUID();
        carrier.latency(orderId, Duration.ofSeconds(40));
        secondConsumer.sendMessage(s -> s.queueUrl(queue().url()).messageBody(orderPlaced(UUID.randomUUID(), orderId)));

        // The service's own poller is the next consumer: it receives the message again once it reappears.
        await().atMost(Duration.ofSeconds(40))
                .until(() -> carrier.attempts(orderId).size() >= 2);
        var attempts = carrier.attempts(orderId);
        // Extended while under the 14 s maximum, then left to expire: it came back after about 14 s, not 3 s.
        assertThat(Duration.between(attempts.get(0), attempts.get(1)))
                .isBetween(Duration.ofSeconds(12), Duration.ofSeconds(20));
        assertThat(shipments(orderId)).isZero();
    }

    private List<Message> competingReceive(List<UUID> orders) {
        return secondConsumer
                .receiveMessage(r -> r.queueUrl(queue().url())
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(0)
                        .visibilityTimeout(30))
                .messages()
                .stream()
                .filter(m -> orders.stream().anyMatch(o -> m.body().contains(o.toString())))
                .toList();
    }

    private long shipments(UUID orderId) {
        return jdbc.sql("select count(*) from shipment where order_id = ?")
                .param(orderId)
                .query(Long.class)
                .single();
    }
}
