package io.decoupled.console.services;

import io.decoupled.console.panel.Panel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Panel "orders": exact counts of orders by status from order-service's REST API, and its outbox from its metrics. The status
 * moving from PLACED to SHIPPED to DELIVERED is the whole loop made visible: order-service, SNS, shipping,
 * the FIFO topic and back. CANCELLING counts cancellations waiting for shipping's answer, and the cancellation
 * outcomes come from order-service's {@code order.cancellations} counter (docs/saga.md).
 */
@Component
public class OrdersSource {
    static final String COUNTS_PATH = "/orders/counts";
    static final String SNS_FAULT_PATH = "/demo/faults/sns";
    static final String SOURCE =
            "order-service GET " + COUNTS_PATH + " and /actuator/metrics/outbox.*, order.cancellations";

    /** What the panel shows: exact counts by status (in order-service's order) and in total. */
    public record OrdersView(
            Map<String, Long> byStatus, long total, List<MetricValue> outbox, List<MetricValue> cancellations) {}

    private final ServiceClient client;
    private final ServicesProperties services;

    OrdersSource(ServiceClient client, ServicesProperties services) {
        this.client = client;
        this.services = services;
    }

    public Panel<OrdersView> read() {
        var reply = client.get("order-service", services.orderUrl(), COUNTS_PATH);
        if (!reply.ok()) {
            return Panel.unavailable(SOURCE, reply.reason());
        }
        var byStatus = new LinkedHashMap<String, Long>();
        reply.body()
                .path("byStatus")
                .properties()
                .forEach(e -> byStatus.put(e.getKey(), e.getValue().asLong()));
        var outbox = List.of(
                metric("outbox backlog", "outbox.backlog"),
                metric("published to SNS", "outbox.published"),
                metric("parked", "outbox.parked"),
                // Claim check: events past SNS's 256 KiB published as a pointer to their payload in S3.
                metric("offloaded to S3 (past 256 KiB)", "outbox.offloaded"));
        var cancellations = List.of(
                cancellations("cancellations requested (SHIP)", "requested"),
                cancellations("cancelled", "cancelled"),
                cancellations("refused: parcel had left", "refused"));
        return Panel.of(
                SOURCE, new OrdersView(byStatus, reply.body().path("total").asLong(), outbox, cancellations));
    }

    /** Fault switch: order-service's SNS client fails every call (unreachable) until switched back. */
    public ActionResult snsUnreachable(boolean unreachable) {
        var reply = unreachable
                ? client.put("order-service", services.orderUrl(), SNS_FAULT_PATH, Map.of(), Map.of())
                : client.delete("order-service", services.orderUrl(), SNS_FAULT_PATH, Map.of());
        return reply.ok()
                ? new ActionResult(
                        true,
                        unreachable
                                ? "SNS unreachable for order-service: orders are accepted, the outbox holds them"
                                : "SNS reachable again: the outbox relay publishes the backlog")
                : new ActionResult(false, reply.reason());
    }

    private MetricValue cancellations(String label, String outcome) {
        return new MetricValue(
                label,
                "order.cancellations{outcome=" + outcome + "}",
                client.metric(services.orderUrl(), "order.cancellations", "outcome:" + outcome)
                        .orElse(null));
    }

    private MetricValue metric(String label, String name) {
        return new MetricValue(
                label, name, client.metric(services.orderUrl(), name).orElse(null));
    }
}
