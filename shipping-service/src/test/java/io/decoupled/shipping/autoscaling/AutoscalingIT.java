package io.decoupled.shipping.autoscaling;

import static io.decoupled.shipping.LocalShipping.aws;
import static io.decoupled.shipping.LocalShipping.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.shipping.LocalShipping;
import io.decoupled.shipping.ScriptedCarrier;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The worker pool resizes itself on backlog per worker: a burst scales it out, the backlog drains, the pool
 * scales back in after the stabilization window, and no message is lost or handled twice meanwhile.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "shipping.consumer.workers=1",
            "shipping.autoscaling.min-workers=1",
            "shipping.autoscaling.max-workers=12",
            "shipping.autoscaling.acceptable-latency=1s",
            "shipping.autoscaling.fallback-processing-time=100ms",
            "shipping.autoscaling.sample-interval=300ms",
            "shipping.autoscaling.scale-in-stabilization=3s",
            "shipping.outbox.relay.enabled=false"
        })
@Import(ScriptedCarrier.Config.class)
@DirtiesContext
class AutoscalingIT {
    private static final LocalShipping.QueuePair QUEUE = LocalShipping.queuePair("autoscaling", Duration.ofSeconds(30));
    private static final int BURST = 400;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LocalShipping.register(registry, "shipping_autoscaling");
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

    @Test
    void aBurstScalesWorkersOutAndBackInWithoutLosingOrRepeatingAMessage() {
        carrier.defaultLatency(Duration.ofMillis(100));
        double receivedBefore = meters.counter("shipping.messages.received").count();
        double callsBefore = sqsCalls();
        assertThat(workers()).isEqualTo(1);
        var orders = IntStream.range(0, BURST).mapToObj(i -> UUID.randomUUID()).toList();
        try (var sqs = aws().sqs()) {
            for (int from = 0; from < BURST; from += 10) {
                List<UUID> chunk = orders.subList(from, from + 10);
                sqs.sendMessageBatch(b -> b.queueUrl(QUEUE.url())
                        .entries(chunk.stream()
                                .map(o -> SendMessageBatchRequestEntry.builder()
                                        .id(o.toString())
                                        .messageBody(orderPlaced(UUID.randomUUID(), o))
                                        .build())
                                .toList()));
            }
        }

        var peak = new AtomicInteger();
        // 400 visible / (1 s / 100 ms = 10 per worker) = 40 workers wanted, clamped to 12.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    peak.accumulateAndGet(workers(), Math::max);
                    assertThat(peak.get()).isEqualTo(12);
                });
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    peak.accumulateAndGet(workers(), Math::max);
                    assertThat(shipped(orders)).isEqualTo(BURST);
                });
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(workers()).isEqualTo(1));

        assertThat(peak.get()).isLessThanOrEqualTo(12);
        double callsPerMessage = (sqsCalls() - callsBefore) / BURST;
        System.out.printf(
                "autoscaling burst: %d messages, %.3f SQS calls per message, peak %d workers%n",
                BURST, callsPerMessage, peak.get());
        // Receives of ten and deletes of ten make 0.2; partial batches while the queue runs dry add a little.
        assertThat(callsPerMessage).isLessThan(0.3);
        // Every message was received exactly once: no redelivery, so nothing was handled twice while resizing.
        assertThat(meters.counter("shipping.messages.received").count() - receivedBefore)
                .isEqualTo(BURST);
        assertThat(meters.counter("shipping.messages.processed", "outcome", "duplicate")
                        .count())
                .isZero();
        assertThat(meters.counter("shipping.scaling.decisions", "reason", "SCALE_OUT")
                        .count())
                .isPositive();
        assertThat(meters.counter("shipping.scaling.decisions", "reason", "SCALE_IN")
                        .count())
                .isPositive();
    }

    @Test
    void anIdlePollerMakesAtMostThreeReceiveCallsAMinute() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(workers()).isEqualTo(1));
        double before = receiveCalls();
        // One 20 s long poll in flight plus the next one: at most two calls in any 21 s, three a minute.
        await().during(Duration.ofSeconds(21)).atMost(Duration.ofSeconds(25)).until(() -> receiveCalls() - before <= 2);
    }

    private double receiveCalls() {
        return meters.counter("shipping.sqs.requests", "operation", "ReceiveMessage")
                .count();
    }

    private double sqsCalls() {
        return meters.find("shipping.sqs.requests").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private int workers() {
        return (int) meters.get("shipping.workers.current").gauge().value();
    }

    private long shipped(List<UUID> orders) {
        return jdbc.sql("select count(distinct order_id) from shipment where order_id in (:ids)")
                .param("ids", orders)
                .query(Long.class)
                .single();
    }
}
