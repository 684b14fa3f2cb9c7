package io.decoupled.order.outbox;

import static io.decoupled.topology.Topology.ANALYTICS_ORDERS;
import static io.decoupled.topology.Topology.ORDER_REVIEW;
import static io.decoupled.topology.Topology.SHIPPING_ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.decoupled.order.OrderServiceITSupport;
import io.decoupled.topology.OrderEventAttributes;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Orders placed over REST reach exactly the queues whose filter policies match, through the outbox relay and the
 * real SNS/SQS emulator, once each, in the documented wire format with the attributes the policies use.
 */
class OrderEventRoutingIT extends OrderServiceITSupport {

    @Test
    void aShipOrderReachesShippingAndAnalyticsExactlyOnceWithItsAttributes() {
        var orderId = placeOrder("c-" + UUID.randomUUID(), "SHIP", "120.50");
        var shipping = probe(SHIPPING_ORDERS, Set.of(orderId));
        var analytics = probe(ANALYTICS_ORDERS, Set.of(orderId));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(shipping.drain()).hasSize(1);
            assertThat(analytics.drain()).hasSize(1);
        });
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> shipping.drain().size() == 1 && analytics.drain().size() == 1);

        var delivered = shipping.drain().getFirst();
        assertThat(delivered.text("eventType")).isEqualTo("OrderPlaced");
        assertThat(delivered.text("orderId")).isEqualTo(orderId);
        assertThat(delivered.text("eventId")).isNotBlank();
        assertThat(delivered.text("sessionId")).startsWith("s-c-");
        assertThat(delivered.body().path("total").isNumber()).isTrue();
        assertThat(delivered.body().path("total").decimalValue()).isEqualByComparingTo("120.50");
        assertThat(delivered.body().path("lines").get(0).path("sku").asString()).isEqualTo("BOOK-1");
        assertThat(delivered.attributes())
                .containsKeys(
                        OrderEventAttributes.EVENT_TYPE,
                        OrderEventAttributes.FULFILLMENT,
                        OrderEventAttributes.TOTAL,
                        OrderEventAttributes.COUNTRY);
        assertThat(delivered.attributes().get(OrderEventAttributes.TOTAL).dataType())
                .isEqualTo("Number");
        assertThat(delivered.attributes().get(OrderEventAttributes.FULFILLMENT).stringValue())
                .isEqualTo("SHIP");
        assertThat(delivered.attributes().get(OrderEventAttributes.COUNTRY).stringValue())
                .isEqualTo("DE");
        // The unfiltered subscriber gets the same event, in the SNS envelope.
        assertThat(analytics.drain().getFirst().text("eventId")).isEqualTo(delivered.text("eventId"));
    }

    @Test
    void theRequestsTraceContextTravelsWithTheEventNotTheRelays() {
        var traceId = UUID.randomUUID().toString().replace("-", "");
        var result = mvc.post()
                .uri("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .content(order("c-" + UUID.randomUUID(), "SHIP", "10.00"))
                .exchange();
        assertThat(result).hasStatus(201);
        var orderId = JsonPath.<String>read(body(result), "$.id");
        var shipping = probe(SHIPPING_ORDERS, Set.of(orderId));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(shipping.drain()).hasSize(1));
        var traceparent = shipping.drain().getFirst().attributes().get("traceparent");
        assertThat(traceparent).isNotNull();
        // Same trace as the request, a span of its own (the request's server span), sampled.
        assertThat(traceparent.stringValue()).matches("00-" + traceId + "-[0-9a-f]{16}-01");
    }

    @Test
    void aDigitalOrderNeverReachesShipping() {
        var orderId = placeOrder("c-" + UUID.randomUUID(), "DIGITAL", "40.00");
        var shipping = probe(SHIPPING_ORDERS, Set.of(orderId));
        var analytics = probe(ANALYTICS_ORDERS, Set.of(orderId));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(analytics.drain()).hasSize(1));
        // Analytics has it, so SNS has fanned it out; shipping must stay empty for a while longer.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> shipping.drain().isEmpty());
    }

    @Test
    void aHighValueOrderReachesReviewAndAnOrdinaryOneDoesNot() {
        var highValue = placeOrder("c-" + UUID.randomUUID(), "DIGITAL", "1000.00");
        var ordinary = placeOrder("c-" + UUID.randomUUID(), "SHIP", "999.99");
        var review = probe(ORDER_REVIEW, Set.of(highValue, ordinary));
        var analytics = probe(ANALYTICS_ORDERS, Set.of(highValue, ordinary));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(analytics.drain()).hasSize(2);
            assertThat(review.drain()).extracting(r -> r.text("orderId")).containsExactly(highValue);
        });
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> review.drain().size() == 1);
    }

    @Test
    void cancellingAShipOrderAsksShippingWithOrderCancelled() {
        var orderId = placeOrder("c-" + UUID.randomUUID(), "SHIP", "25.00");
        var shipping = probe(SHIPPING_ORDERS, Set.of(orderId));
        var analytics = probe(ANALYTICS_ORDERS, Set.of(orderId));

        // The cancellation saga's request (docs/saga.md): shipping must hear of it, and the order waits for its answer.
        assertThat(mvc.post().uri("/orders/{id}/cancel", orderId))
                .hasStatus(202)
                .bodyJson()
                .extractingPath("$.status")
                .isEqualTo("CANCELLING");
        // Cancelling again is harmless: no second request.
        assertThat(mvc.post().uri("/orders/{id}/cancel", orderId)).hasStatus(202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(analytics.drain())
                    .extracting(r -> r.text("eventType"))
                    .containsExactlyInAnyOrder("OrderPlaced", "OrderCancelled");
            assertThat(shipping.drain())
                    .extracting(r -> r.text("eventType"))
                    .containsExactlyInAnyOrder("OrderPlaced", "OrderCancelled");
        });
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> analytics.drain().size() == 2 && shipping.drain().size() == 2);
        var request = shipping.drain().stream()
                .filter(r -> r.text("eventType").equals("OrderCancelled"))
                .findFirst()
                .orElseThrow();
        assertThat(request.attributes().get("fulfillment").stringValue()).isEqualTo("SHIP");
    }

    @Test
    void cancellingADigitalOrderEndsItAtOnceAndShippingNeverHearsOfIt() {
        var orderId = placeOrder("c-" + UUID.randomUUID(), "DIGITAL", "25.00");
        var shipping = probe(SHIPPING_ORDERS, Set.of(orderId));
        var analytics = probe(ANALYTICS_ORDERS, Set.of(orderId));

        assertThat(mvc.post().uri("/orders/{id}/cancel", orderId))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.status")
                .isEqualTo("CANCELLED");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(analytics.drain())
                        .extracting(r -> r.text("eventType"))
                        .containsExactlyInAnyOrder("OrderPlaced", "OrderCancelled"));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> shipping.drain().isEmpty());
    }
}
