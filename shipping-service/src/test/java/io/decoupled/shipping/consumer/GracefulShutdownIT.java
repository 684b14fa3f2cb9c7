package io.decoupled.shipping.consumer;

import static io.decoupled.shipping.LocalShipping.aws;
import static io.decoupled.shipping.LocalShipping.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.LocalPostgres;
import io.decoupled.shipping.LocalShipping;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * SIGTERM under load, for real: shipping-service runs as its own JVM, is sent SIGTERM while it works
 * through a backlog, and the accounting afterwards shows that every order is either shipped (and its
 * message deleted) or back in the queue within the visibility timeout; none is both, none is neither.
 */
class GracefulShutdownIT {
    private static final Duration VISIBILITY = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(5);
    private static final int ORDERS = 120;

    @Test
    void sigtermUnderLoadLosesNothingAndLeavesNothingInvisibleBeyondItsTimeout() throws Exception {
        var queue = LocalShipping.queuePair("sigterm", VISIBILITY);
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
        var database = "shipping_sigterm";
        var jdbcUrl = LocalPostgres.shared().createDatabase(database);
        var service = LocalShipping.startProcess(
                queue,
                database,
                Duration.ofMillis(250),
                "sigterm-service",
                "--shipping.consumer.shutdown-timeout=" + SHUTDOWN_BOUND.toSeconds() + "s");
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() ->
                            tableExists(jdbcUrl) && shipped(jdbcUrl, orders).size() >= 20);
            long signalled = System.nanoTime();
            service.destroy(); // SIGTERM
            assertThat(service.waitFor(SHUTDOWN_BOUND.plusSeconds(10).toSeconds(), TimeUnit.SECONDS))
                    .as("exited after SIGTERM")
                    .isTrue();
            var stoppedAfter = Duration.ofNanos(System.nanoTime() - signalled);
            var shipped = shipped(jdbcUrl, orders);
            assertThat(shipped.size())
                    .as("still work left when the signal came")
                    .isLessThan(ORDERS);

            // Everything not shipped is back in the queue within the visibility timeout...
            var returned = new HashSet<UUID>();
            var exited = System.nanoTime();
            try (var sqs = aws().sqs()) {
                await().atMost(VISIBILITY.plusSeconds(5))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> {
                            collect(sqs, queue.url(), orders, returned);
                            assertThat(shipped.size() + returned.size()).isEqualTo(ORDERS);
                        });
                // ...and nothing shipped ever is: a shipped message whose delete was lost would reappear only once
                // its visibility timeout (or a heartbeat extension) ran out, so keep receiving until well past that.
                var pastEveryTimeout = exited + VISIBILITY.plusSeconds(4).toNanos();
                await().atMost(VISIBILITY.plusSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            collect(sqs, queue.url(), orders, returned);
                            return System.nanoTime() > pastEveryTimeout;
                        });
            }
            assertThat(returned)
                    .as("shipped and still in the queue: would ship twice")
                    .doesNotContainAnyElementsOf(shipped);
            assertThat(shipped.size() + returned.size())
                    .as("every order shipped or back in the queue, exactly once")
                    .isEqualTo(ORDERS);
            assertThat(shipped(jdbcUrl, orders)).as("no shipment after exit").isEqualTo(shipped);
            assertThat(stoppedAfter).isLessThan(SHUTDOWN_BOUND.plusSeconds(8));
        } finally {
            service.destroyForcibly();
        }
    }

    /** Receives (and keeps hidden for a minute) whatever is visible, noting which of the orders came back. */
    private static void collect(SqsClient sqs, String url, List<UUID> orders, Set<UUID> returned) {
        for (var m : sqs.receiveMessage(
                        r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60))
                .messages()) {
            orders.stream().filter(o -> m.body().contains(o.toString())).forEach(returned::add);
        }
    }

    private static boolean tableExists(String jdbcUrl) throws Exception {
        try (var c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                var rs = c.createStatement().executeQuery("select to_regclass('public.shipment') is not null")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static Set<UUID> shipped(String jdbcUrl, List<UUID> orders) throws Exception {
        var shipped = new HashSet<UUID>();
        try (var c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                var rs = c.createStatement().executeQuery("select order_id from shipment")) {
            while (rs.next()) {
                shipped.add(rs.getObject(1, UUID.class));
            }
        }
        shipped.retainAll(new HashSet<>(orders));
        return shipped;
    }
}
