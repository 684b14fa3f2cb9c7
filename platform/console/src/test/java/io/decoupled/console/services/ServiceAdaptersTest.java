package io.decoupled.console.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.decoupled.console.StubHttpServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The panels' adapters against service stand-ins: real numbers where a source exists, "not available" where not. */
class ServiceAdaptersTest {
    private static final URI NOBODY = URI.create("http://127.0.0.1:1");
    private final StubHttpServer service = new StubHttpServer();

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void ordersByStatusAreTheExactCountsOfTheRestApi() {
        service.on("GET " + OrdersSource.COUNTS_PATH, 200, """
                        {"byStatus":{"PLACED":3,"CANCELLING":2,"SHIPPED":1234,"DELIVERED":0,"CANCELLED":1},"total":1240}""")
                .on("GET /actuator/metrics/outbox.backlog", 200, gauge(7))
                .on("GET /actuator/metrics/outbox.offloaded", 200, counter(2))
                .on("GET /actuator/metrics/order.cancellations?tag=outcome:refused", 200, counter(4));
        var orders = new OrdersSource(client(), services(service.url(), NOBODY, NOBODY)).read();

        assertThat(orders.available()).isTrue();
        assertThat(orders.data().byStatus())
                .containsExactly(
                        entry("PLACED", 3L),
                        entry("CANCELLING", 2L),
                        entry("SHIPPED", 1234L),
                        entry("DELIVERED", 0L),
                        entry("CANCELLED", 1L));
        assertThat(orders.data().total()).isEqualTo(1240);
        assertThat(orders.data().outbox())
                .contains(new MetricValue("outbox backlog", "outbox.backlog", 7.0))
                .contains(new MetricValue("parked", "outbox.parked", null))
                .contains(new MetricValue("offloaded to S3 (past 256 KiB)", "outbox.offloaded", 2.0));
        // The cancellation saga: pending cancellations by status, outcomes by the counter's tag.
        assertThat(orders.data().cancellations())
                .contains(new MetricValue("refused: parcel had left", "order.cancellations{outcome=refused}", 4.0))
                .contains(new MetricValue("cancelled", "order.cancellations{outcome=cancelled}", null));
    }

    @Test
    void anOrdersPathMergesEachServicesHopsOnOneTimeLineAndNamesAServiceThatCouldNotAnswer() {
        var id = UUID.randomUUID();
        service.on("GET " + "/orders/" + id + "/path", 200, """
                        {"orderId":"%s","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","hops":[
                         {"hop":"HTTP accepted","at":"2026-01-01T10:00:00Z","detail":"POST /orders"},
                         {"hop":"published to SNS","at":"2026-01-01T10:00:02Z","detail":"OrderPlaced"}]}""".formatted(id))
                .on("GET /shipments/" + id + "/path", 200, """
                        {"hops":[{"hop":"received by shipping","at":"2026-01-01T10:00:01.500Z","detail":"m-1"}]}""");
        var path = new OrderPathSource(client(), services(service.url(), service.url(), NOBODY)).path(id);

        assertThat(path.found()).isTrue();
        assertThat(path.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(path.hops())
                .extracting(OrderPathSource.Hop::hop)
                .containsExactly("HTTP accepted", "received by shipping", "published to SNS");
        assertThat(path.hops())
                .extracting(OrderPathSource.Hop::service)
                .containsExactly("order-service", "shipping-service", "order-service");
        assertThat(path.missing()).singleElement().asString().contains("analytics-service", "not reachable");
    }

    @Test
    void anOrderOrderServiceDoesNotKnowIsNotFound() {
        service.on("GET /orders/", 404, "{\"detail\":\"There is no order\"}");

        assertThat(new OrderPathSource(client(), services(service.url(), NOBODY, NOBODY))
                        .path(UUID.randomUUID())
                        .found())
                .isFalse();
    }

    @Test
    void aServiceThatIsDownMakesItsPanelUnavailableWithTheReason() {
        var orders = new OrdersSource(client(), services(NOBODY, NOBODY, NOBODY)).read();

        assertThat(orders.available()).isFalse();
        assertThat(orders.reason()).isEqualTo("not available: order-service is not reachable at " + NOBODY);
    }

    @Test
    void anEndpointThatDoesNotExistYetIsNamedInTheReason() {
        service.on("GET /actuator/health", 200, "{\"status\":\"UP\"}");
        var analytics = new AnalyticsSource(client(), services(NOBODY, NOBODY, service.url())).read();

        assertThat(analytics.available()).isFalse();
        assertThat(analytics.reason()).startsWith("not available: analytics-service has no GET /analytics/");
    }

    @Test
    void shippingShowsTheMetricsItHasAndMarksTheOthersMissing() {
        service.on("GET /actuator/health", 200, "{\"status\":\"UP\"}")
                .on("GET /actuator/metrics/shipping.visibility.extensions", 200, counter(12))
                .on(
                        "GET /actuator/metrics/" + ShippingSource.DECISIONS_METRIC,
                        200,
                        "{\"measurements\":[{\"statistic\":\"COUNT\",\"value\":5}],\"availableTags\":[{\"tag\":\"reason\",\"values\":[\"SCALE_OUT\",\"STEADY\"]}]}")
                .on(
                        "GET /actuator/metrics/" + ShippingSource.DECISIONS_METRIC + "?tag=reason:SCALE_OUT",
                        200,
                        counter(2))
                .on("GET /actuator/metrics/" + ShippingSource.DECISIONS_METRIC + "?tag=reason:STEADY", 200, counter(3))
                .on("GET " + ShippingSource.DLQ_PATH, 200, "{\"depth\":1}");
        var shipping = new ShippingSource(client(), services(NOBODY, service.url(), NOBODY)).read();

        assertThat(shipping.available()).isTrue();
        assertThat(shipping.data().messages())
                .contains(new MetricValue("visibility extensions", "shipping.visibility.extensions", 12.0));
        assertThat(shipping.data().decisions()).containsEntry("SCALE_OUT", 2.0).containsEntry("STEADY", 3.0);
        assertThat(shipping.data().deadLetters().path("depth").asInt()).isEqualTo(1);
        assertThat(service.requests("GET", ShippingSource.DLQ_PATH)
                        .getFirst()
                        .header(ShippingSource.ADMIN_TOKEN_HEADER))
                .isEqualTo("Bearer secret");
    }

    @Test
    void aGaugeWithNothingToMeasureYetIsMissingNotAFailedPanel() {
        // Shipping's autoscaler gauges read "NaN" (a string) in their first seconds after a start.
        service.on("GET /actuator/health", 200, "{\"status\":\"UP\"}")
                .on(
                        "GET /actuator/metrics/shipping.workers.desired",
                        200,
                        "{\"measurements\":[{\"statistic\":\"VALUE\",\"value\":\"NaN\"}]}")
                .on("GET /actuator/metrics/shipping.visibility.extensions", 200, counter(12));
        var shipping = new ShippingSource(client(), services(NOBODY, service.url(), NOBODY)).read();

        assertThat(shipping.available()).isTrue();
        assertThat(shipping.data().workers())
                .contains(new MetricValue("workers (desired)", "shipping.workers.desired", null));
        assertThat(shipping.data().messages())
                .contains(new MetricValue("visibility extensions", "shipping.visibility.extensions", 12.0));
    }

    @Test
    void aFailedRedriveReportsWhatTheServiceSaid() {
        service.on("POST " + ShippingSource.REDRIVE_PATH, 401, "{\"detail\":\"bad token\"}");
        var result = new ShippingSource(client(), services(NOBODY, service.url(), NOBODY)).redriveAll();

        assertThat(result.accepted()).isFalse();
        assertThat(result.detail()).contains("401", "bad token");
    }

    @Test
    void theCarrierSwitchIsAnAuthenticatedPutAndItsResetADelete() {
        service.on("PUT " + ShippingSource.CARRIER_FAULT_PATH, 200, "{\"on\":true}")
                .on("DELETE " + ShippingSource.CARRIER_FAULT_PATH, 200, "{\"on\":false}");
        var shipping = new ShippingSource(client(), services(NOBODY, service.url(), NOBODY));

        assertThat(shipping.carrierFault(1500, 0.25).detail()).contains("1500 ms", "25 %");
        assertThat(shipping.resetCarrierFault().accepted()).isTrue();
        var put = service.requests("PUT", ShippingSource.CARRIER_FAULT_PATH).getFirst();
        assertThat(put.header(ShippingSource.ADMIN_TOKEN_HEADER)).isEqualTo("Bearer secret");
        assertThat(put.body()).contains("\"latencyMillis\":1500", "\"failureRate\":0.25");
        assertThat(service.requests("DELETE", ShippingSource.CARRIER_FAULT_PATH))
                .hasSize(1);
    }

    /**
     * shipping-service's admin API refuses a body without a Content-Length (413, AdminRequestLimit): every body the
     * console sends carries its length and is never chunked, and a POST without a body declares none or 0.
     */
    @Test
    void everyBodyGoesOutWithItsContentLengthNeverChunked() {
        service.on("POST " + ShippingSource.REDRIVE_PATH, 202, "{\"id\":\"r-1\"}")
                .on("PUT " + ShippingSource.CARRIER_FAULT_PATH, 200, "{\"on\":true}")
                .on("PUT " + OrdersSource.SNS_FAULT_PATH, 200, "{\"unreachable\":true}")
                .on("POST /bodiless", 202, "{}");
        var shipping = new ShippingSource(client(), services(NOBODY, service.url(), NOBODY));

        assertThat(shipping.redriveAll().accepted()).isTrue();
        assertThat(shipping.carrierFault(0, 0).accepted()).isTrue();
        assertThat(new OrdersSource(client(), services(service.url(), NOBODY, NOBODY))
                        .snsUnreachable(true)
                        .accepted())
                .isTrue();
        assertThat(client().post("test", service.url(), "/bodiless", Map.of(), null)
                        .ok())
                .isTrue();

        assertThat(service.requests()).hasSize(4);
        for (var request : service.requests()) {
            var what = request.method() + " " + request.path();
            assertThat(request.header("Transfer-Encoding")).as(what).isNull();
            if (request.body().isEmpty()) {
                assertThat(request.header("Content-Length")).as(what).isIn(null, "0");
            } else {
                assertThat(request.header("Content-Length"))
                        .as(what)
                        .isEqualTo(String.valueOf(request.body().getBytes(StandardCharsets.UTF_8).length));
            }
        }
        assertThat(service.requests("PUT", ShippingSource.CARRIER_FAULT_PATH)
                        .getFirst()
                        .body())
                .contains("\"latencyMillis\":0", "\"failureRate\":0.0");
    }

    @Test
    void theSnsSwitchIsAPutAndItsEndADeleteOnOrderService() {
        service.on("PUT " + OrdersSource.SNS_FAULT_PATH, 200, "{\"unreachable\":true}")
                .on("DELETE " + OrdersSource.SNS_FAULT_PATH, 200, "{\"unreachable\":false}");
        var orders = new OrdersSource(client(), services(service.url(), NOBODY, NOBODY));

        assertThat(orders.snsUnreachable(true).detail()).contains("unreachable");
        assertThat(orders.snsUnreachable(false).detail()).contains("reachable again");
        assertThat(service.requests("PUT", OrdersSource.SNS_FAULT_PATH)).hasSize(1);
        assertThat(service.requests("DELETE", OrdersSource.SNS_FAULT_PATH)).hasSize(1);
    }

    @Test
    void healthDistinguishesDownFromUnreachable() {
        service.on("GET /actuator/health", 503, "{\"status\":\"DOWN\"}");
        var health = new ServiceHealth(client(), services(service.url(), NOBODY, NOBODY))
                .read()
                .data();

        assertThat(health.get("order-service").status()).isEqualTo("DOWN");
        assertThat(health.get("shipping-service").status()).isEqualTo("UNREACHABLE");
    }

    private ServiceClient client() {
        return new ServiceClient(services(NOBODY, NOBODY, NOBODY));
    }

    private static ServicesProperties services(URI order, URI shipping, URI analytics) {
        return new ServicesProperties(order, shipping, NOBODY, analytics, "secret", Duration.ofSeconds(2));
    }

    private static String gauge(double value) {
        return "{\"measurements\":[{\"statistic\":\"VALUE\",\"value\":" + value + "}]}";
    }

    private static String counter(double value) {
        return "{\"measurements\":[{\"statistic\":\"COUNT\",\"value\":" + value + "}]}";
    }
}
