package io.decoupled.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.LocalAws;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The SNS and SQS endpoint unreachable for 15 s while orders flow through SNS and SQS to shipping: fauxqs closes its
 * port and every open connection, then listens again on the same port with its queues and messages (it cannot keep
 * them across a process restart; docs/local-aws.md). Everything that talks to it fails at once: the orders'
 * publisher (retrying each batch until it is accepted, as order-service's relay does), the consumer's receives,
 * heartbeats and deletes, and the relay's PublishBatch of shipment events. Once it is back every accepted order is
 * shipped exactly once and announced once, messages whose delete was lost come back and are recognised as already
 * processed, nothing is parked and nothing reaches a DLQ. On emulators and a database of its own, so it runs beside
 * the module's other classes.
 */
@SpringBootTest(
        properties = {
            // Deliveries much later, so that the only shipment event per order in this test is its dispatch.
            "shipping.delivery.after=15m",
            "shipping.autoscaling.enabled=false"
        })
@DirtiesContext
@Execution(ExecutionMode.CONCURRENT)
class SnsSqsOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    private static final int ORDERS = 150;
    private static final String DATABASE = "shipping_sns_sqs_outage";

    static final LocalAws aws =
            LocalAws.builder().services(AwsService.SQS, AwsService.KINESIS).start(); // the topology has a stream
    static final ShippingLedger ledger = new ShippingLedger(aws, DATABASE);

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LocalShipping.register(registry, aws, DATABASE);
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    @Autowired
    MeterRegistry meters;

    @Test
    void ordersFlowingWhileSnsAndSqsAreUnreachableAreEachShippedAndAnnouncedOnce() {
        var batches = new ArrayList<Map<UUID, UUID>>();
        for (int b = 0; b < ORDERS / 10; b++) {
            var batch = new LinkedHashMap<UUID, UUID>();
            for (int i = 0; i < 10; i++) {
                batch.put(UUID.randomUUID(), UUID.randomUUID());
            }
            batches.add(batch);
        }
        var orders = batches.stream().flatMap(b -> b.keySet().stream()).collect(Collectors.toSet());
        var published = new AtomicInteger();
        var failedAttempts = new AtomicInteger();
        var publisher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("order-publisher").factory());
        long started = System.nanoTime();
        // A batch of 10 every 200 ms; a refused batch is sent again with the same event ids on the next tick.
        publisher.scheduleWithFixedDelay(
                () -> {
                    int next = published.get();
                    if (next >= batches.size()) {
                        return;
                    }
                    try {
                        ledger.publishOrders(batches.get(next));
                        published.incrementAndGet();
                    } catch (RuntimeException e) {
                        failedAttempts.incrementAndGet();
                    }
                },
                0,
                200,
                TimeUnit.MILLISECONDS);
        try {
            // Under load: orders are being published and shipped when the endpoint goes away.
            await().atMost(Duration.ofSeconds(60)).until(() -> published.get() >= 5 && ledger.shipments(orders) > 0);
            var endpoint = aws.requireEndpoint(AwsService.SQS);
            aws.takeDown(AwsService.SQS);
            try {
                await().during(OUTAGE).atMost(OUTAGE.plusSeconds(10)).until(() -> !accepts(endpoint.getPort()));
            } finally {
                aws.bringBack(AwsService.SQS);
            }
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> published.get() == batches.size()
                            && ledger.shipments(orders) == ORDERS
                            && ledger.query("select count(*) from outbox where published_at is null") == 0);
        } finally {
            publisher.shutdownNow();
        }
        // Messages whose delete was lost in the outage come back after their visibility timeout (30 s) and are
        // recognised as processed; wait until the queue is empty before counting.
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> ledger.depth(Topology.SHIPPING_ORDERS) == 0);
        double total = (System.nanoTime() - started) / 1e9;
        assertThat(ledger.query("select count(*) from shipment")).isEqualTo(ORDERS);
        assertThat(ledger.query("select count(*) from processed_event")).isEqualTo(ORDERS);
        assertThat(ledger.query("select count(*) from outbox")).isEqualTo(ORDERS);
        assertThat(ledger.query("select count(*) from outbox where parked_at is not null"))
                .isZero();
        assertThat(ledger.depth(Topology.SHIPPING_ORDERS_DLQ)).isZero();
        assertThat(ledger.depth(Topology.SHIPPING_ORDERS_SNS_DLQ)).isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ledger.shipmentEventsByOrder().size() == ORDERS);
        var events = ledger.shipmentEventsByOrder();
        assertThat(events)
                .allSatisfy((order, received) -> assertThat(
                                received.stream().distinct().toList())
                        .as(order)
                        .singleElement()
                        .asString()
                        .startsWith("ShipmentDispatched "));
        assertThat(failedAttempts.get()).as("the publisher met the outage").isPositive();
        double received = meters.counter("shipping.messages.received").count();
        double shipped = meters.counter("shipping.messages.processed", "outcome", "shipped")
                .count();
        double duplicates = meters.counter("shipping.messages.processed", "outcome", "duplicate")
                .count();
        assertThat(shipped).isEqualTo(ORDERS);
        System.out.printf(
                "SNS/SQS unreachable for %d s under load: %d orders shipped once, %d dispatch events (%d deliveries), %d publish"
                        + " attempts refused, %.0f receives, %.0f recognised as already processed, %.1f s from the first order to an empty queue%n",
                OUTAGE.toSeconds(),
                ORDERS,
                events.size(),
                events.values().stream().mapToInt(List::size).sum(),
                failedAttempts.get(),
                received,
                duplicates,
                total);
    }

    private static boolean accepts(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
