package io.decoupled.console.services;

import io.decoupled.console.panel.Panel;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Panel "services": each service's Actuator health, so a dead service explains a growing queue. */
@Component
public class ServiceHealth {
    /** Health of one service: its base URL and UP, DOWN, or why it did not answer. */
    public record Status(String url, String status, String reason) {}

    private final ServiceClient client;
    private final ServicesProperties services;

    ServiceHealth(ServiceClient client, ServicesProperties services) {
        this.client = client;
        this.services = services;
    }

    public Panel<Map<String, Status>> read() {
        var result = new LinkedHashMap<String, Status>();
        result.put("order-service", status("order-service", services.orderUrl()));
        result.put("shipping-service", status("shipping-service", services.shippingUrl()));
        result.put("click-ingest-service", status("click-ingest-service", services.clickUrl()));
        result.put("analytics-service", status("analytics-service", services.analyticsUrl()));
        return Panel.of("GET /actuator/health of each service", result);
    }

    private Status status(String name, URI base) {
        var reply = client.get(name, base, "/actuator/health");
        if (reply.ok()) {
            return new Status(base.toString(), reply.body().path("status").asString("UNKNOWN"), null);
        }
        // Actuator answers 503 with a body when the service is up but unhealthy.
        return new Status(base.toString(), reply.status() == 503 ? "DOWN" : "UNREACHABLE", reply.reason());
    }
}
