package io.decoupled.console.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker compose up} exactly as a user types it, then one SHIP order and one click through the whole
 * system: the order must reach DELIVERED and the click must be counted by analytics. The stack is taken down
 * with its volumes afterwards. The console (and so its load generator) is not started, so the click count is
 * exactly ours. Skipped, with a message, where no Docker engine runs (as where this repository is built).
 */
class ComposeSmokeIT {
    private static final Path ROOT = Path.of(System.getProperty("console.repository-root", "../.."))
            .toAbsolutePath()
            .normalize();
    private static final DockerCompose docker = new DockerCompose(ROOT);
    private static final Map<String, String> PROJECT = Map.of("COMPOSE_PROJECT_NAME", "decoupled-smoke");
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static boolean started;

    @BeforeAll
    static void up() {
        assumeTrue(
                docker.engineAnswers() && docker.cliAnswers(),
                "no Docker engine with Compose here; the compose smoke test runs only where one is");
        started = true;
        var up = docker.compose(
                PROJECT,
                Duration.ofMinutes(20),
                "up",
                "--build",
                "--detach",
                "--wait",
                "--wait-timeout",
                "600",
                "order-service",
                "shipping-service",
                "click-ingest-service",
                "analytics-service");
        assertThat(up.ok()).as("docker compose up:\n%s", up.output()).isTrue();
    }

    @AfterAll
    static void down() {
        if (started) {
            docker.compose(PROJECT, Duration.ofMinutes(5), "down", "--volumes", "--remove-orphans");
        }
    }

    @Test
    void aShipOrderIsDeliveredAndAClickIsCounted() throws Exception {
        String session = "smoke-" + UUID.randomUUID();
        var placed = send("order-service", "POST", "/orders", """
                {"customerId":"c-smoke","sessionId":"%s","fulfillment":"SHIP","country":"DE",
                 "lines":[{"sku":"SKU-1","quantity":2,"unitPrice":19.99}]}""".formatted(session));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        var id = field(placed.body(), "id");

        var click = send("click-ingest-service", "POST", "/clicks", """
                {"sessionId":"%s","userId":"u-smoke","page":"/products/1","timestamp":"%s"}""".formatted(session, Instant.now()));
        assertThat(click.statusCode()).as(click.body()).isEqualTo(202);

        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(field(
                                send("order-service", "GET", "/orders/" + id, null)
                                        .body(),
                                "status"))
                        .isEqualTo("DELIVERED"));
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(field(
                                send("analytics-service", "GET", "/analytics/clicks", null)
                                        .body(),
                                "clicks"))
                        .isEqualTo("1"));
    }

    private static HttpResponse<String> send(String service, String method, String path, String json)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(service) + path))
                .timeout(Duration.ofSeconds(10));
        if (json == null) {
            request.GET();
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The port the service listens on, which compose publishes unchanged (ComposeFileTest checks that). */
    private static String port(String module) throws IOException {
        var yaml = Files.readString(ROOT.resolve(module).resolve("src/main/resources/application.yml"));
        var m = Pattern.compile("port: \\$\\{PORT:(\\d+)}").matcher(yaml);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String field(String json, String name) {
        var m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }
}
