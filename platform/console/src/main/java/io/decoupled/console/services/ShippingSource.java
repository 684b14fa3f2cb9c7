package io.decoupled.console.services;

import io.decoupled.console.panel.Panel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Panel "shipping": the autoscaler (current and desired workers, backlog per worker, the reason of each
 * decision), visibility extensions of the heartbeat, and the dead-letter queue through shipping-service's
 * authenticated admin API, which also performs the redrive. Every metric name and admin path lives here.
 */
@Component
public class ShippingSource {
    static final String SOURCE = "shipping-service /actuator/metrics/shipping.* and /admin/dlq";
    static final String ADMIN_TOKEN_HEADER = "Authorization";
    static final String DLQ_PATH = "/admin/dlq";
    static final String REDRIVE_PATH = "/admin/dlq/redrive";
    static final String CARRIER_FAULT_PATH = "/admin/faults/carrier";
    static final String DECISIONS_METRIC = "shipping.scaling.decisions";

    /** What the panel shows. {@code decisions} counts the autoscaler's decisions by reason. */
    public record ShippingView(
            List<MetricValue> workers,
            List<MetricValue> messages,
            Map<String, Double> decisions,
            JsonNode deadLetters,
            String deadLettersReason) {}

    private final ServiceClient client;
    private final ServicesProperties services;

    ShippingSource(ServiceClient client, ServicesProperties services) {
        this.client = client;
        this.services = services;
    }

    public Panel<ShippingView> read() {
        var health = client.get("shipping-service", services.shippingUrl(), "/actuator/health");
        if (!health.ok() && health.status() != 503) {
            return Panel.unavailable(SOURCE, health.reason());
        }
        var workers = List.of(
                metric("workers (current)", "shipping.workers.current"),
                metric("workers (desired)", "shipping.workers.desired"),
                metric("workers busy", "shipping.workers.busy"),
                metric("backlog per worker", "shipping.backlog.per.worker"),
                metric("acceptable backlog per worker", "shipping.backlog.acceptable.per.worker"));
        var messages = List.of(
                metric("received", "shipping.messages.received"),
                metric("processed", "shipping.messages.processed"),
                metric("failed", "shipping.messages.failed"),
                metric("in flight", "shipping.messages.inflight"),
                metric("visibility extensions", "shipping.visibility.extensions"),
                metric("redriven", "shipping.redrive.messages"),
                metric("DLQ depth (shipping's gauge)", "shipping.dlq.depth"));
        var dlq = client.get("shipping-service", services.shippingUrl(), DLQ_PATH, adminHeaders());
        return Panel.of(
                SOURCE, new ShippingView(workers, messages, decisions(), dlq.ok() ? dlq.body() : null, dlq.reason()));
    }

    /** Asks shipping-service to move every dead-lettered message back to its queue. */
    public ActionResult redriveAll() {
        var reply = client.post("shipping-service", services.shippingUrl(), REDRIVE_PATH, adminHeaders(), Map.of());
        return reply.ok()
                ? new ActionResult(
                        true,
                        reply.body() == null ? "redrive started" : reply.body().toString())
                : new ActionResult(false, reply.reason());
    }

    /** Fault switch: the simulated carrier's latency and failure rate until reset (shipping must run with demo faults on). */
    public ActionResult carrierFault(long latencyMillis, double failureRate) {
        var reply = client.put(
                "shipping-service",
                services.shippingUrl(),
                CARRIER_FAULT_PATH,
                adminHeaders(),
                Map.of("latencyMillis", latencyMillis, "failureRate", failureRate));
        return reply.ok()
                ? new ActionResult(
                        true,
                        "carrier: " + latencyMillis + " ms per booking, " + Math.round(failureRate * 100) + " % fail")
                : new ActionResult(false, reply.reason());
    }

    /** Ends the carrier fault: back to the configured latency and failure rate. */
    public ActionResult resetCarrierFault() {
        var reply = client.delete("shipping-service", services.shippingUrl(), CARRIER_FAULT_PATH, adminHeaders());
        return reply.ok()
                ? new ActionResult(true, "carrier back to its configured latency and failure rate")
                : new ActionResult(false, reply.reason());
    }

    private Map<String, Double> decisions() {
        var reply = client.get("metric", services.shippingUrl(), "/actuator/metrics/" + DECISIONS_METRIC);
        var byReason = new LinkedHashMap<String, Double>();
        if (!reply.ok()) {
            return byReason;
        }
        var reasons = new ArrayList<String>();
        for (var tag : reply.body().path("availableTags")) {
            if (tag.path("tag").asString("").equals("reason")) {
                tag.path("values").forEach(v -> reasons.add(v.asString()));
            }
        }
        for (var reason : reasons) {
            client.metric(services.shippingUrl(), DECISIONS_METRIC, "reason:" + reason)
                    .ifPresent(v -> byReason.put(reason, v));
        }
        return byReason;
    }

    private MetricValue metric(String label, String name) {
        return new MetricValue(
                label, name, client.metric(services.shippingUrl(), name).orElse(null));
    }

    private Map<String, String> adminHeaders() {
        return services.shippingAdminToken().isBlank()
                ? Map.of()
                : Map.of(ADMIN_TOKEN_HEADER, "Bearer " + services.shippingAdminToken());
    }
}
