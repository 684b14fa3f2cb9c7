package io.decoupled.console.services;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * One order's path across the services: each service answers with the hops it keeps for the order (its own rows,
 * no tracing backend needed), and the console merges them on one time line. A service that is down or lacks the
 * endpoint leaves its hops out and is named in {@code missing}, so the rest of the path still shows.
 */
@Component
public class OrderPathSource {
    static final String ORDER_PATH = "/orders/%s/path";
    static final String SHIPPING_PATH = "/shipments/%s/path";
    static final String ANALYTICS_PATH = "/analytics/orders/%s/path";
    static final int RECENT = 8;

    /** One hop: which service saw it, what it was, when, and what identifies it. */
    public record Hop(String service, String hop, Instant at, String detail) {}

    /** The merged path, oldest hop first; {@code found} is false when order-service does not know the id. */
    public record OrderPathView(UUID orderId, boolean found, String traceId, List<Hop> hops, List<String> missing) {}

    private final ServiceClient client;
    private final ServicesProperties services;

    OrderPathSource(ServiceClient client, ServicesProperties services) {
        this.client = client;
        this.services = services;
    }

    public OrderPathView path(UUID orderId) {
        var hops = new ArrayList<Hop>();
        var missing = new ArrayList<String>();
        var order = client.get("order-service", services.orderUrl(), ORDER_PATH.formatted(orderId));
        if (!order.ok() && order.status() == 404) {
            return new OrderPathView(orderId, false, null, List.of(), List.of());
        }
        String traceId = order.ok() ? text(order.body().path("traceId")) : null;
        collect("order-service", order, hops, missing);
        collect(
                "shipping-service",
                client.get("shipping-service", services.shippingUrl(), SHIPPING_PATH.formatted(orderId)),
                hops,
                missing);
        collect(
                "analytics-service",
                client.get("analytics-service", services.analyticsUrl(), ANALYTICS_PATH.formatted(orderId)),
                hops,
                missing);
        hops.sort(Comparator.comparing(Hop::at));
        return new OrderPathView(orderId, true, traceId, List.copyOf(hops), List.copyOf(missing));
    }

    /** The ids of the newest orders, for the page to click. */
    public List<String> recent() {
        var reply = client.get("order-service", services.orderUrl(), "/orders?size=" + RECENT);
        var ids = new ArrayList<String>();
        if (reply.ok()) {
            reply.body().path("items").forEach(item -> ids.add(item.path("id").asString()));
        }
        return ids;
    }

    private static void collect(String service, ServiceClient.Reply reply, List<Hop> hops, List<String> missing) {
        // A service with no record of the order yet answers 200 with no hops; anything else is named.
        if (!reply.ok()) {
            missing.add(reply.reason());
            return;
        }
        for (var hop : reply.body().path("hops")) {
            try {
                hops.add(new Hop(
                        service,
                        hop.path("hop").asString(),
                        Instant.parse(hop.path("at").asString()),
                        text(hop.path("detail"))));
            } catch (RuntimeException e) {
                missing.add(service + " sent a hop without a readable time");
            }
        }
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asString();
    }
}
