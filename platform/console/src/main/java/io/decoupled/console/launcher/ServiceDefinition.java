package io.decoupled.console.launcher;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service the embedded launcher runs: its Maven module (the jar is {@code <module>/target/<module>-<version>.jar})
 * and the database it owns, if any. Each service with a database gets one of its own, as in AWS.
 */
record ServiceDefinition(String name, String module, Optional<String> database, String consoleUrlProperty) {

    static final List<ServiceDefinition> ALL = List.of(
            new ServiceDefinition(
                    "order-service", "order-service", Optional.of("orders"), "console.services.order-url"),
            new ServiceDefinition(
                    "shipping-service", "shipping-service", Optional.of("shipping"), "console.services.shipping-url"),
            new ServiceDefinition(
                    "click-ingest-service", "click-ingest-service", Optional.empty(), "console.services.click-url"),
            new ServiceDefinition(
                    "analytics-service",
                    "analytics-service",
                    Optional.of("analytics"),
                    "console.services.analytics-url"));

    /** The Spring datasource of this service's database, as environment variables (relaxed binding). */
    Map<String, String> datasourceEnvironment(String jdbcUrl) {
        return Map.of(
                "SPRING_DATASOURCE_URL",
                jdbcUrl,
                "SPRING_DATASOURCE_USERNAME",
                "postgres",
                "SPRING_DATASOURCE_PASSWORD",
                "postgres");
    }
}
