package io.decoupled.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.localaws.TcpProxy;
import io.decoupled.topology.Topology;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * shipping-service's PostgreSQL unreachable for a full minute (cut at the network by a proxy: pooled connections
 * die, new ones are refused; the pool keeps the service's own settings) while orders keep arriving on
 * {@code shipping-orders}. The consumer holds and retries in place, its receive circuit opens, nothing reaches the
 * DLQ. Once the database is back every order is shipped exactly once and announced once on
 * {@code shipment-events.fifo}, and the outbox has nothing left or parked. Only the longest backoff is scaled to the
 * test (5 s instead of 5 min), so recovery shows within seconds; the retry budget (10 min) and the circuit (5
 * failures, open 30 s) are the defaults. On emulators and a database of its own, so it runs beside the module's
 * other classes.
 */
@SpringBootTest(
        properties = {
            "shipping.consumer.retry.max-backoff=5s",
            // Deliveries much later, so that the only shipment event per order in this test is its dispatch.
            "shipping.delivery.after=15m",
            "shipping.autoscaling.enabled=false"
        })
@DirtiesContext
@Execution(ExecutionMode.CONCURRENT)
class ShippingDatabaseMinuteOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final String DATABASE = "shipping_minute_outage";

    static final LocalAws aws =
            LocalAws.builder().services(AwsService.SQS, AwsService.KINESIS).start(); // the topology has a stream
    static final TcpProxy database = new TcpProxy(LocalPostgres.shared().port());
    static final ShippingLedger ledger = new ShippingLedger(aws, DATABASE);

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LocalShipping.register(registry, aws, DATABASE);
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + DATABASE);
    }

    @AfterAll
    static void stop() {
        database.close();
        aws.close();
    }

    @Test
    void aMinuteWithoutTheDatabaseShipsEveryOrderOnceAndDeadLettersNothing() {
        var before = orders(10);
        ledger.publishOrders(before);
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.shipments(before.keySet()) == 10);

        var during = new LinkedHashMap<UUID, UUID>();
        database.cut();
        try {
            for (int batch = 0; batch < 3; batch++) {
                var orders = orders(10);
                ledger.publishOrders(orders);
                during.putAll(orders);
            }
            await().during(OUTAGE)
                    .atMost(OUTAGE.plusSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> ledger.depth(Topology.SHIPPING_ORDERS_DLQ) == 0);
        } finally {
            database.restore();
        }
        long restoredAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> ledger.shipments(during.keySet()) == 30
                        && ledger.query("select count(*) from outbox where published_at is null") == 0);
        double recovery = (System.nanoTime() - restoredAt) / 1e9;
        assertThat(ledger.query("select count(*) from shipment")).isEqualTo(40);
        assertThat(ledger.query("select count(*) from processed_event")).isEqualTo(40);
        assertThat(ledger.query("select count(*) from outbox where parked_at is not null"))
                .isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.depth(Topology.SHIPPING_ORDERS) == 0);
        assertThat(ledger.depth(Topology.SHIPPING_ORDERS_DLQ)).isZero();
        // One dispatch event per order; a row whose commit the cut interrupted after SNS took it is sent again with
        // the same event id (at least once, docs/shipping-service.md), never as a second event.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ledger.shipmentEventsByOrder().size() == 40);
        var events = ledger.shipmentEventsByOrder();
        assertThat(events)
                .allSatisfy((order, received) -> assertThat(
                                received.stream().distinct().toList())
                        .as(order)
                        .singleElement()
                        .asString()
                        .startsWith("ShipmentDispatched "));
        System.out.printf(
                "shipping-service: PostgreSQL cut for %d s: 40 orders shipped once, 40 dispatch events (%d deliveries), done %.1f s after it came back%n",
                OUTAGE.toSeconds(),
                events.values().stream().mapToInt(List::size).sum(),
                recovery);
    }

    private static Map<UUID, UUID> orders(int count) {
        var orders = new LinkedHashMap<UUID, UUID>();
        for (int i = 0; i < count; i++) {
            orders.put(UUID.randomUUID(), UUID.randomUUID());
        }
        return orders;
    }
}
