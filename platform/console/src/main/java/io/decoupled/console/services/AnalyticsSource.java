package io.decoupled.console.services;

import io.decoupled.console.panel.Panel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Panel "analytics": click aggregates and the click-to-order funnel as analytics-service serves them. The
 * console passes the JSON through and the page renders what it finds, so a richer response needs no change
 * here; only the paths live in this class.
 */
@Component
public class AnalyticsSource {
    static final String SOURCE = "analytics-service REST";
    static final Map<String, String> PATHS = Map.of(
            "funnel", "/analytics/funnel",
            "clicks", "/analytics/clicks",
            "active sessions", "/analytics/sessions/active",
            "orders", "/analytics/orders",
            "deliveries", "/analytics/deliveries",
            // The KCL worker's own state (the page shows its sentence first); absent when analytics reads Kafka.
            "clickstream consumer", "/analytics/clickstream/consumer");

    private final ServiceClient client;
    private final ServicesProperties services;

    AnalyticsSource(ServiceClient client, ServicesProperties services) {
        this.client = client;
        this.services = services;
    }

    /** Each view by name: its JSON, or a text node saying why it is not available. */
    public Panel<Map<String, JsonNode>> read() {
        var views = new LinkedHashMap<String, JsonNode>();
        String firstFailure = null;
        for (var entry :
                PATHS.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            var reply = client.get("analytics-service", services.analyticsUrl(), entry.getValue());
            if (reply.ok()) {
                views.put(entry.getKey(), reply.body());
            } else if (firstFailure == null) {
                firstFailure = reply.reason();
            }
        }
        return views.isEmpty() ? Panel.unavailable(SOURCE, firstFailure) : Panel.of(SOURCE, views);
    }
}
