package io.decoupled.order.outbox;

import static io.decoupled.topology.Topology.ANALYTICS_ORDERS;
import static io.decoupled.topology.Topology.ORDER_REVIEW;
import static io.decoupled.topology.Topology.SHIPPING_ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.decoupled.order.OrderServiceITSupport;
import io.decoupled.order.QueueProbe;
import io.decoupled.topology.OrderEventAttributes;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Claim check end to end in order-service: a bulk order whose event is past SNS's 256 KiB is accepted over REST,
 * relayed through S3 with a pointer published to order-events, and reaches exactly the queues its attributes route it
 * to (order-review included, whose filter is on the total attribute), once each; a normal order placed beside it still
 * goes through PublishBatch as before.
 */
class LargeOrderEventIT extends OrderServiceITSupport {
    /** 3,000 lines of 64-character SKUs: about 330 KB as an event. */
    private static final int LINES = 3_000;

    @Autowired
    MeterRegistry meters;

    @Test
    void aBulkOrderPastSnssLimitIsPublishedThroughS3AndRoutedByItsAttributesOnce() {
        double offloadedBefore = meters.counter("outbox.offloaded").count();
        double putsBefore = s3Puts();
        var customer = "c-" + UUID.randomUUID();
        var placed = post("/orders", bulkOrder(customer, LINES));
        assertThat(placed).hasStatus(201);
        String large = JsonPath.read(body(placed), "$.id");
        String normal = placeOrder("c-" + UUID.randomUUID(), "SHIP", "1500.00");

        var shipping = probe(SHIPPING_ORDERS, Set.of(large, normal));
        var analytics = probe(ANALYTICS_ORDERS, Set.of(large, normal));
        var review = probe(ORDER_REVIEW, Set.of(large, normal));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(shipping.drain()).hasSize(2);
            assertThat(analytics.drain()).hasSize(2);
            assertThat(review.drain()).hasSize(2);
        });
        // Once each: nothing arrives a second time.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> shipping.drain().size() == 2
                        && analytics.drain().size() == 2
                        && review.drain().size() == 2);

        for (var probe : List.of(shipping, analytics, review)) {
            var bulk = only(probe, large);
            assertThat(bulk.offloaded()).isTrue();
            assertThat(bulk.text("eventType")).isEqualTo("OrderPlaced");
            assertThat(bulk.text("customerId")).isEqualTo(customer);
            assertThat(bulk.body().path("lines").size()).isEqualTo(LINES);
            assertThat(bulk.body().path("total").decimalValue()).isEqualByComparingTo("3750.00");
            assertThat(only(probe, normal).offloaded()).isFalse();
        }
        // Raw delivery keeps the publisher's attributes next to the pointer, the ones the filter policies matched.
        var delivered = only(shipping, large);
        assertThat(delivered.attributes()).containsKeys(OrderEventAttributes.TOTAL, OrderEventAttributes.FULFILLMENT);
        assertThat(delivered.attributes().get(OrderEventAttributes.TOTAL).dataType())
                .isEqualTo("Number");
        assertThat(delivered.attributes()).containsKey("ExtendedPayloadSize");
        assertThat(meters.counter("outbox.offloaded").count()).isEqualTo(offloadedBefore + 1);
        assertThat(s3Puts())
                .as("the cost meter counts the payload's put like every other AWS call")
                .isGreaterThanOrEqualTo(putsBefore + 1);
    }

    /** The AWS call counter's PutObject requests to S3 (aws-calls), 0 before the first. */
    private double s3Puts() {
        var counter = meters.find("aws.requests")
                .tag("aws.service", "S3")
                .tag("operation", "PutObject")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static QueueProbe.Received only(QueueProbe probe, String orderId) {
        return probe.drain().stream()
                .filter(r -> r.text("orderId").equals(orderId))
                .findFirst()
                .orElseThrow();
    }

    /** A SHIP order of {@code n} lines with 64-character SKUs at 1.25 each. */
    private static String bulkOrder(String customer, int n) {
        var lines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            lines.append(i == 0 ? "" : ",")
                    .append("{\"sku\":\"")
                    .append("%064d".formatted(i))
                    .append("\",\"quantity\":1,\"unitPrice\":1.25}");
        }
        return "{\"customerId\":\"" + customer + "\",\"fulfillment\":\"SHIP\",\"country\":\"DE\",\"lines\":[" + lines
                + "]}";
    }
}
