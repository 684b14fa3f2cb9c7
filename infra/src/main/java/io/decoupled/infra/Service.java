package io.decoupled.infra;

import java.util.List;
import java.util.Optional;

/**
 * The four services, as the stacks see them: the Maven module the image is built from and the HTTP paths
 * the load balancer routes to each. Every per-service resource (security group, database, task role, log
 * group) is keyed by this enum, so a fifth service is one constant and the compiler finds the rest.
 */
public enum Service {
    ORDER("order-service", List.of("/orders", "/orders/*"), List.of(), "orders"),
    SHIPPING(
            "shipping-service",
            List.of("/shipments", "/shipments/*"),
            List.of("/admin/dlq", "/admin/dlq/*"),
            "shipping"),
    CLICK_INGEST("click-ingest-service", List.of("/clicks", "/clicks/*"), List.of(), null),
    ANALYTICS("analytics-service", List.of("/analytics", "/analytics/*"), List.of(), "analytics");

    private final String module;
    private final List<String> paths;
    private final List<String> adminPaths;
    private final String databaseName;

    Service(String module, List<String> paths, List<String> adminPaths, String databaseName) {
        this.module = module;
        this.paths = paths;
        this.adminPaths = adminPaths;
        this.databaseName = databaseName;
    }

    /** The Maven module, which is also the service's name everywhere in AWS (ECS service, log group, role). */
    public String module() {
        return module;
    }

    /** Path patterns the load balancer forwards to this service on any listener. */
    public List<String> paths() {
        return paths;
    }

    /** Path patterns of an operator API, forwarded only by an HTTPS listener (a bearer token never travels in clear). */
    public List<String> adminPaths() {
        return adminPaths;
    }

    /** Whether the service keeps state in a PostgreSQL database of its own (database per service). */
    public boolean ownsDatabase() {
        return databaseName != null;
    }

    /** The name of its database ("orders", not "order": ORDER is reserved in SQL and RDS refuses it). */
    public Optional<String> databaseName() {
        return Optional.ofNullable(databaseName);
    }

    /** A name usable in construct ids and CloudFormation logical ids, e.g. {@code ClickIngest}. */
    public String id() {
        var out = new StringBuilder();
        for (var part : name().split("_")) {
            out.append(part.charAt(0)).append(part.substring(1).toLowerCase());
        }
        return out.toString();
    }
}
