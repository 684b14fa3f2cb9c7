package io.decoupled.shipping.consumer;

import static io.decoupled.shipping.LocalShipping.aws;
import static io.decoupled.shipping.LocalShipping.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.LocalPostgres;
import io.decoupled.shipping.LocalShipping;
import io.decoupled.shipping.sqs.QueueDepth;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A consumer killed mid-batch, for real: shipping-service runs as its own JVM and dies by SIGKILL while it
 * works through a backlog, with messages received and not yet deleted, and shipments committed whose messages
 * were never deleted. A second instance then drains the queue. Every order is shipped exactly once: the messages
 * the dead instance held come back after their visibility timeout, the ones it had already shipped are
 * recognised by the idempotent consumer, and none of them ends in the dead-letter queue.
 */
class ConsumerKilledIT {
    private static final Duration VISIBILITY = Duration.ofSeconds(8);
    private static final int ORDERS = 150;

    @Test
    void aConsumerKilledMidBatchLosesNothingAndShipsNothingTwice() throws Exception {
        var queue = LocalShipping.queuePair("killed", VISIBILITY);
        var orders = IntStream.range(0, ORDERS).mapToObj(i -> UUID.randomUUID()).toList();
        try (var sqs = aws().sqs()) {
            for (int from = 0; from < ORDERS; from += 10) {
                var chunk = orders.subList(from, from + 10);
                sqs.sendMessageBatch(b -> b.queueUrl(queue.url())
                        .entries(chunk.stream()
                                .map(o -> SendMessageBatchRequestEntry.builder()
                                        .id(o.toString())
                                        .messageBody(orderPlaced(UUID.randomUUID(), o))
                                        .build())
                                .toList()));
            }
        }
        var database = "shipping_killed";
        var jdbcUrl = LocalPostgres.shared().createDatabase(database);

        var first = LocalShipping.startProcess(queue, database, Duration.ofMillis(200), "killed-first");
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> shipmentsPerOrder(jdbcUrl).size() >= 25);
            first.destroyForcibly().waitFor(); // SIGKILL: no drain, no delete flush, no visibility release
        } finally {
            first.destroyForcibly();
        }
        var shippedBeforeTheKill = shipmentsPerOrder(jdbcUrl).size();
        assertThat(shippedBeforeTheKill).as("still work left when it died").isLessThan(ORDERS);

        var second = LocalShipping.startProcess(queue, database, Duration.ofMillis(200), "killed-second");
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        var shipments = shipmentsPerOrder(jdbcUrl);
                        assertThat(shipments.keySet()).containsExactlyInAnyOrderElementsOf(orders);
                        assertThat(messagesIn(queue.url()))
                                .as("left in the queue")
                                .isZero();
                    });
            // Past another visibility timeout: nothing came back to be shipped a second time.
            await().pollDelay(VISIBILITY.plusSeconds(2))
                    .atMost(VISIBILITY.plusSeconds(20))
                    .untilAsserted(() -> {
                        assertThat(shipmentsPerOrder(jdbcUrl).values())
                                .as("shipments per order")
                                .containsOnly(1);
                        assertThat(processedEvents(jdbcUrl))
                                .as("claimed events")
                                .isEqualTo(ORDERS);
                        assertThat(messagesIn(queue.url())).isZero();
                    });
            assertThat(messagesIn(queue.deadLetterUrl()))
                    .as("in the dead-letter queue")
                    .isZero();
        } finally {
            second.destroyForcibly();
        }
    }

    /** Shipments per order id; empty until the service has created its tables. */
    private static Map<UUID, Integer> shipmentsPerOrder(String jdbcUrl) throws Exception {
        var shipments = new HashMap<UUID, Integer>();
        try (var c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                var exists = c.createStatement().executeQuery("select to_regclass('public.shipment') is not null")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return shipments;
            }
            try (var rs =
                    c.createStatement().executeQuery("select order_id, count(*) from shipment group by order_id")) {
                while (rs.next()) {
                    shipments.put(rs.getObject(1, UUID.class), rs.getInt(2));
                }
            }
        }
        return shipments;
    }

    private static long processedEvents(String jdbcUrl) throws Exception {
        try (var c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                var rs = c.createStatement().executeQuery("select count(*) from processed_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long messagesIn(String url) {
        try (var sqs = aws().sqs()) {
            return QueueDepth.visibleAndInFlight(sqs, url);
        }
    }
}
