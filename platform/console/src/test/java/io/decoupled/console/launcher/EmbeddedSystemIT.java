package io.decoupled.console.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsService;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClient;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one-command launcher with stand-ins for the four service jars (their own modules test the services):
 * real emulators and PostgreSQL, every service on a free port with its environment, the console wired to
 * them, an ordered stop that leaves no process behind, and a second run on the same machine right after.
 */
class EmbeddedSystemIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void startsEverythingOnFreePortsStopsItLeavingNothingBehindAndStartsAgain(@TempDir Path logs) throws Exception {
        var options = new EmbeddedSystem.Options(
                Path.of("."), "test", 0, true, service -> Optional.of(ServiceProcessTest.fake()), logs);
        Set<Long> before = children();

        var system = EmbeddedSystem.start(options);
        Set<Long> started = new HashSet<>(children());
        started.removeAll(before);
        try {
            assertThat(system.services()).hasSize(4).allMatch(ServiceProcess::isAlive);
            assertThat(system.services().stream().map(s -> s.url().getPort()).distinct())
                    .hasSize(4);

            var order = get(service(system, "order-service").url().resolve("/env"));
            assertThat(order.path("SPRING_DATASOURCE_URL").asString())
                    .matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/orders");
            assertThat(order.path("AWS_ENDPOINT_URL_SQS").asString())
                    .isEqualTo(system.aws().requireEndpoint(AwsService.SQS).toString());
            assertThat(order.path("CBOR_ENABLED").asString()).isEqualTo("false");
            // the dashboard reads meters by name; a service's own default exposes health and prometheus only
            assertThat(order.path("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE").asString())
                    .isEqualTo("health,prometheus,metrics");
            var shipping = get(service(system, "shipping-service").url().resolve("/env"));
            assertThat(shipping.path("SPRING_DATASOURCE_URL").asString()).endsWith("/shipping");
            assertThat(shipping.path("SHIPPING_ADMIN_TOKEN").asString()).isNotBlank();
            assertThat(get(service(system, "analytics-service").url().resolve("/env"))
                            .path("SPRING_DATASOURCE_URL")
                            .asString())
                    .endsWith("/analytics");
            assertThat(get(service(system, "click-ingest-service").url().resolve("/env"))
                            .has("SPRING_DATASOURCE_URL"))
                    .isFalse();

            var dashboard = get(system.consoleUrl().orElseThrow().resolve("/api/dashboard"));
            assertThat(dashboard.path("queues").path("available").asBoolean()).isTrue();
            for (String name :
                    new String[] {"order-service", "shipping-service", "click-ingest-service", "analytics-service"}) {
                assertThat(dashboard
                                .path("services")
                                .path("data")
                                .path(name)
                                .path("status")
                                .asString())
                        .as(name)
                        .isEqualTo("UP");
            }

            theProcessFaultSwitchesActOnTheLaunchersOwnProcesses(system);
        } finally {
            system.close();
        }
        assertThat(started).hasSizeGreaterThanOrEqualTo(4 + 3); // four services, three emulator processes
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(started.stream()
                                .map(ProcessHandle::of)
                                .filter(p -> p.isPresent() && p.get().isAlive())
                                .toList())
                        .isEmpty());

        // Nothing to clean up: a second run picks new ports and empty emulators.
        var again = EmbeddedSystem.start(new EmbeddedSystem.Options(
                Path.of("."),
                "test",
                0,
                false,
                service -> Optional.of(ServiceProcessTest.fake()),
                logs.resolve("again")));
        try {
            assertThat(again.services()).hasSize(4).allMatch(ServiceProcess::isAlive);
            assertThat(again.aws().isRunning()).isTrue();
        } finally {
            again.close();
        }
    }

    /** {@code -Dconsole.clickstream=kafka}: an embedded KRaft broker with the clickstream topic, and both clickstream services on it. */
    @Test
    void theKafkaFlagStartsABrokerWithTheClickstreamTopicAndSwitchesBothClickstreamServicesToIt(@TempDir Path logs)
            throws Exception {
        assertThat(EmbeddedSystem.Options.kafkaClickstream("kafka")).isTrue();
        assertThat(EmbeddedSystem.Options.kafkaClickstream(null)).isFalse();
        assertThat(EmbeddedSystem.Options.kafkaClickstream("Kinesis")).isFalse();
        Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> EmbeddedSystem.Options.kafkaClickstream("kafak"))
                .withMessageContaining("console.clickstream");

        var system = EmbeddedSystem.start(new EmbeddedSystem.Options(
                Path.of("."), "test", 0, true, service -> Optional.of(ServiceProcessTest.fake()), logs, true));
        String bootstrap;
        try {
            bootstrap = system.kafka().orElseThrow().bootstrapServers();
            var clicks = get(service(system, "click-ingest-service").url().resolve("/env"));
            assertThat(clicks.path("CLICKSTREAM_BACKEND").asString()).isEqualTo("kafka");
            assertThat(clicks.path("SPRING_KAFKA_BOOTSTRAP_SERVERS").asString()).isEqualTo(bootstrap);
            var analytics = get(service(system, "analytics-service").url().resolve("/env"));
            assertThat(analytics.path("ANALYTICS_CLICKSTREAM_BACKEND").asString())
                    .isEqualTo("kafka");
            assertThat(analytics.path("SPRING_KAFKA_BOOTSTRAP_SERVERS").asString())
                    .isEqualTo(bootstrap);
            try (var admin = AdminClient.create(Map.of("bootstrap.servers", bootstrap))) {
                var topic = admin.describeTopics(List.of("clickstream"))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get("clickstream");
                assertThat(topic.partitions()).hasSize(EmbeddedKafka.PARTITIONS);
            }
            // The dashboard's stream panel reads the broker: partitions, committed offsets and lag instead of shards.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var stream = get(system.consoleUrl().orElseThrow().resolve("/api/dashboard"))
                        .path("stream");
                assertThat(stream.path("available").asBoolean())
                        .as(stream.toString())
                        .isTrue();
                assertThat(stream.path("data").path("backend").asString()).isEqualTo("kafka");
                assertThat(stream.path("data").path("shards").size()).isEqualTo(EmbeddedKafka.PARTITIONS);
            });
        } finally {
            system.close();
        }
        // Stopped with the rest: nothing listens on the broker's port any more.
        var port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> Assertions.assertThatException().isThrownBy(() -> {
                    try (var socket = new Socket("127.0.0.1", port)) {
                        socket.getPort();
                    }
                }));
    }

    /** Through the console's API and its guard: the analytics database switch and the kill switch, each undone. */
    private void theProcessFaultSwitchesActOnTheLaunchersOwnProcesses(EmbeddedSystem system) throws Exception {
        var console = system.consoleUrl().orElseThrow();
        String analyticsDb = get(service(system, "analytics-service").url().resolve("/env"))
                .path("SPRING_DATASOURCE_URL")
                .asString();
        String ordersDb = get(service(system, "order-service").url().resolve("/env"))
                .path("SPRING_DATASOURCE_URL")
                .asString();
        assertThat(connects(analyticsDb)).isTrue();

        assertThat(send("PUT", console.resolve("/api/faults/analytics-database-outage"), false)
                        .statusCode())
                .isEqualTo(202);
        assertThat(connects(analyticsDb)).as("analytics' database is cut off").isFalse();
        assertThat(connects(ordersDb))
                .as("order-service's database on the same server is not")
                .isTrue();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(get(console.resolve("/api/dashboard"))
                                .path("processFaults")
                                .path("data")
                                .path("analyticsDatabaseAvailable")
                                .asBoolean())
                        .isFalse());
        assertThat(send("DELETE", console.resolve("/api/faults/analytics-database-outage"), false)
                        .statusCode())
                .isEqualTo(202);
        assertThat(connects(analyticsDb)).as("analytics' database is back").isTrue();

        var shipping = service(system, "shipping-service");
        var victim = ProcessHandle.of(shipping.pid()).orElseThrow();
        assertThat(send("POST", console.resolve("/api/faults/shipping-kill"), true)
                        .statusCode())
                .as("cross-site")
                .isEqualTo(403);
        assertThat(victim.isAlive()).isTrue();
        var killed = send("POST", console.resolve("/api/faults/shipping-kill"), false);
        assertThat(killed.statusCode()).isEqualTo(202);
        assertThat(killed.body()).contains("pid " + victim.pid()).contains("visibility timeout");
        assertThat(victim.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            var state =
                    get(console.resolve("/api/dashboard")).path("processFaults").path("data");
            assertThat(state.path("shippingKills").asInt()).isEqualTo(1);
            assertThat(state.path("lastKilledPid").asLong()).isEqualTo(victim.pid());
            assertThat(state.path("shippingPid").asLong())
                    .isEqualTo(shipping.pid())
                    .isNotEqualTo(victim.pid());
            assertThat(state.path("shippingUp").asBoolean()).isTrue();
        });
        assertThat(get(shipping.url().resolve("/env"))
                        .path("SHIPPING_ADMIN_TOKEN")
                        .asString())
                .as("same settings")
                .isNotBlank();
    }

    private static boolean connects(String jdbcUrl) {
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
            return connection.isValid(5);
        } catch (SQLException refused) {
            return false;
        }
    }

    private HttpResponse<String> send(String method, URI uri, boolean crossSite) throws Exception {
        var request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (crossSite) {
            request.header("Origin", "http://evil.example");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ServiceProcess service(EmbeddedSystem system, String name) {
        return system.services().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private JsonNode get(URI uri) throws Exception {
        var response = http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Set<Long> children() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
