package io.decoupled.console.services;

import io.decoupled.console.panel.Panel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Panel "orders": orders by status from order-service's REST API, and its outbox from its metrics. The status
 * moving from PLACED to SHIPPED to DELIVERED is the whole loop made visible: order-service, SNS, shipping,
 * the FIFO topic and back. CANCELLING counts cancellations waiting for shipping's answer, and the cancellation
 * outcomes come from order-service's {@code order.cancellations} counter (docs/saga.md).
 */
@Component
public class OrdersSource {
    static final List<String> STATUSES = List.of("PLACED", "CANCELLING", "SHIPPED", "DELIVERED", "CANCELLED");
    /** One page of this size per status; the API has no count, so more shows as "at least". */
    static final int PAGE = 1000;
    static final String SOURCE = "order-service GET /orders?status= and /actuator/metrics/outbox.*, order.cancellations";

    /** A count that may be a lower bound (the API pages and has no total). */
    public record Count(long value, boolean atLeast) {
    }

    /** What the panel shows. */
    public record OrdersView(Map<String, Count> byStatus, List<MetricValue> outbox, List<MetricValue> cancellations) {
    }

    private final ServiceClient client;
    private final ServicesProperties services;

    OrdersSource(ServiceClient client, ServicesProperties services) {
        this.client = client;
        this.services = services;
    }

    public Panel<OrdersView> read() {
        var byStatus = new LinkedHashMap<String, Count>();
        for (String status : STATUSES) {
            var reply = client.get("order-service", services.orderUrl(), "/orders?status=" + status + "&size=" + PAGE);
            if (!reply.ok()) {
                return Panel.unavailable(SOURCE, reply.reason());
            }
            byStatus.put(status, new Count(reply.body().path("items").size(), reply.body().path("hasNext").asBoolean(false)));
        }
        var outbox = List.of(
                metric("outbox backlog", "outbox.backlog"),
                metric("published to SNS", "outbox.published"),
                metric("parked", "outbox.parked"));
        var cancellations = List.of(
                cancellations("cancellations requested (SHIP)", "requested"),
                cancellations("cancelled", "cancelled"),
                cancellations("refused: parcel had left", "refused"));
        return Panel.of(SOURCE, new OrdersView(byStatus, outbox, cancellations));
    }

    private MetricValue cancellations(String label, String outcome) {
        return new MetricValue(label, "order.cancellations{outcome=" + outcome + "}",
                client.metric(services.orderUrl(), "order.cancellations", "outcome:" + outcome).orElse(null));
    }

    private MetricValue metric(String label, String name) {
        return new MetricValue(label, name, client.metric(services.orderUrl(), name).orElse(null));
    }
}
