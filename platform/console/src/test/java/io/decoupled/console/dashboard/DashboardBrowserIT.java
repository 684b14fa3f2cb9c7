package io.decoupled.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.decoupled.awscalls.AwsCallCounter;
import io.decoupled.console.ConsoleApplication;
import io.decoupled.console.Emulators;
import io.decoupled.localaws.LocalAws;
import io.decoupled.topology.OrderEventAttributes;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real browser (Debian's Chromium, driven by Playwright from npm), against the console
 * wired to the real emulators. The load goes through two small stand-ins for order-service and
 * click-ingest-service that do the part the dashboard observes: publish order events to SNS (which fans them
 * out to the queues) and put clicks on a Kinesis stream of this test's own (so the shard split touches no other
 * test). The order stand-in also answers the counts and each order's path from what it did (accepted, published);
 * the real services' path endpoints are tested in their modules. Checks that the page is live, that its numbers
 * move under load, that the poison button works, that the charts fill, that the "split a shard" switch splits and
 * merges the real stream with every click accounted, and that an order's path shows; saves screenshots under target/.
 */
class DashboardBrowserIT {
    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static LocalAws aws;
    static SnsClient sns;
    static KinesisClient kinesis;
    static HttpServer services;
    static HttpServer clickService;
    /** The stand-ins' real AWS calls, counted the way the services count theirs, for the cost meter. */
    static final MeterRegistry orderCalls = new SimpleMeterRegistry();

    static final MeterRegistry clickCalls = new SimpleMeterRegistry();
    static ConfigurableApplicationContext console;
    static String stream;
    /** The orders the stand-in accepted: id to the instants it accepted and published them. */
    static final Map<String, Instant[]> orders = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(
                Files.isExecutable(CHROMIUM),
                "Chromium is not installed at " + CHROMIUM
                        + ": install it with `apt-get install -y chromium` (.ci/run does) to run the browser test");
        aws = Emulators.shared();
        sns = SnsClient.builder()
                .overrideConfiguration(c -> c.addExecutionInterceptor(new AwsCallCounter(orderCalls)))
                .build();
        kinesis = KinesisClient.builder()
                .overrideConfiguration(c -> c.addExecutionInterceptor(new AwsCallCounter(clickCalls)))
                .build();
        services = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        services.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        clickService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        clickService.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        stream = "browser-it-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(r -> r.streamName(stream).shardCount(1));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))
                                .streamDescriptionSummary()
                                .streamStatus()
                        == StreamStatus.ACTIVE);
        services.createContext("/orders", DashboardBrowserIT::orders);
        services.createContext("/actuator/prometheus", exchange -> prometheus(exchange, orderCalls));
        services.start();
        clickService.createContext("/clicks", DashboardBrowserIT::acceptClicks);
        clickService.createContext("/actuator/prometheus", exchange -> prometheus(exchange, clickCalls));
        clickService.start();
        String url = "http://127.0.0.1:" + services.getAddress().getPort();
        String clickUrl = "http://127.0.0.1:" + clickService.getAddress().getPort();
        console = new SpringApplicationBuilder(ConsoleApplication.class)
                .properties(Map.of(
                        "server.port", "0",
                        "console.services.order-url", url,
                        "console.services.click-url", clickUrl,
                        "console.stream.name", stream,
                        "console.services.shipping-url", "http://127.0.0.1:1",
                        "console.services.analytics-url", "http://127.0.0.1:1",
                        "console.load.enabled", "true",
                        "console.load.orders-per-second", "4",
                        "console.load.clicks-per-second", "40",
                        "console.load.poison-share", "0"))
                .run();
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        for (var server : new HttpServer[] {services, clickService}) {
            if (server != null) {
                server.stop(0);
            }
        }
        if (sns != null) {
            sns.close();
            kinesis.close();
        }
    }

    @Test
    void theDashboardIsLiveItsChartsFillAShardSplitLosesNoClickAndAnOrdersPathShows() throws Exception {
        Path target = Path.of("target");
        Path work = prepareBrowserScripts(target.resolve("browser-test"));
        for (var name : List.of("dashboard.png", "charts.png", "fault-split.png", "order-path.png", "cost.png")) {
            Files.deleteIfExists(target.resolve(name));
        }
        String url = "http://localhost:" + console.getEnvironment().getProperty("local.server.port") + "/";

        var run = run(
                work,
                List.of(
                        "node",
                        "dashboard-check.mjs",
                        url,
                        target.toAbsolutePath().toString(),
                        CHROMIUM.toString()),
                240);

        assertThat(run.exitCode())
                .as("dashboard-check.mjs failed:\n%s", run.output())
                .isZero();
        JsonNode seen = JSON.readTree(run.output()
                .lines()
                .filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b)
                .orElseThrow());
        assertThat(seen.path("ordersAfter").asLong())
                .isGreaterThan(seen.path("ordersBefore").asLong());
        assertThat(seen.path("recordsAfter").asLong())
                .isGreaterThan(seen.path("recordsBefore").asLong());
        assertThat(seen.path("poisonAfter").asLong())
                .isEqualTo(seen.path("poisonBefore").asLong() + 1);
        assertThat(seen.path("visibleAfter").asLong())
                .isGreaterThan(seen.path("visibleBefore").asLong());
        // shipping-service is not running here: its panel says so instead of breaking the page.
        assertThat(seen.path("shippingPanel").asString()).contains("not available");
        assertThat(seen.path("processSwitchesDisabled").asBoolean())
                .as("process switches greyed out when attached")
                .isTrue();
        // The charts drew the window, the split showed as two more shards, and the merge as one more.
        assertThat(seen.path("chartPoints").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(seen.path("shardsAfterSplit").asInt()).isEqualTo(3);
        assertThat(seen.path("shardsAfterMerge").asInt()).isEqualTo(4);
        // Every click the load generator had accepted is in the stream, across the parents and the children.
        assertThat(seen.path("clicksAccepted").asLong())
                .isPositive()
                .isEqualTo(seen.path("clicksInStream").asLong());
        assertThat(seen.path("pathHops").asString()).contains("HTTP accepted", "published to SNS");
        assertThat(seen.path("pathMissing").asString()).contains("shipping-service");
        assertThat(seen.path("duration").asString()).isEqualTo("31.8 s");
        assertThat(seen.path("costOrders").asString()).startsWith("$");
        assertThat(seen.path("costClicks").asString()).startsWith("$");
        assertThat(seen.path("costSavings").asString()).contains("PutRecords");
        for (var name : List.of("dashboard.png", "charts.png", "fault-split.png", "order-path.png", "cost.png")) {
            assertThat(Files.size(target.resolve(name))).as(name).isGreaterThan(10_000);
        }
    }

    /** Installs playwright-core from the committed lock file (npm ci), beside the check script. */
    private static Path prepareBrowserScripts(Path work) throws Exception {
        Files.createDirectories(work);
        for (String file : List.of("package.json", "package-lock.json", "dashboard-check.mjs")) {
            Files.copy(Path.of("src/test/browser", file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        var install = run(work, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        assertThat(install.exitCode())
                .as("npm ci failed:\n%s", install.output())
                .isZero();
        return work;
    }

    record Run(int exitCode, String output) {}

    private static Run run(Path directory, List<String> command, int timeoutSeconds) throws Exception {
        var process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        var output = new StringBuilder();
        var reader = Thread.ofVirtual().start(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(5_000);
        System.out.println(output);
        return new Run(process.isAlive() ? -1 : process.exitValue(), output.toString());
    }

    /** Stand-in for order-service: POST places, GET answers the exact counts, the newest ids and an order's path. */
    private static void orders(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("POST")) {
            placeOrder(exchange);
        } else if (path.equals("/orders/counts")) {
            respond(
                    exchange,
                    200,
                    "{\"byStatus\":{\"PLACED\":" + orders.size() + ",\"CANCELLING\":0,\"SHIPPED\":0,\"DELIVERED\":0,"
                            + "\"CANCELLED\":0},\"total\":" + orders.size() + "}");
        } else if (path.endsWith("/path")) {
            String id = path.substring("/orders/".length(), path.length() - "/path".length());
            var times = orders.get(id);
            respond(
                    exchange,
                    times == null ? 404 : 200,
                    times == null ? "{\"detail\":\"no such order\"}" : """
                    {"orderId":"%s","traceId":null,"hops":[{"hop":"HTTP accepted","at":"%s","detail":"POST /orders"},
                     {"hop":"published to SNS","at":"%s","detail":"OrderPlaced"}]}""".formatted(id, times[0], times[1]));
        } else {
            var newest = orders.entrySet().stream()
                    .sorted((a, b) -> b.getValue()[0].compareTo(a.getValue()[0]))
                    .limit(8)
                    .map(e -> "{\"id\":\"" + e.getKey() + "\"}")
                    .toList();
            respond(exchange, 200, "{\"items\":[" + String.join(",", newest) + "],\"hasNext\":false}");
        }
    }

    /** Publishes the order event with the contract's attributes, answers 201. */
    private static void placeOrder(HttpExchange exchange) throws IOException {
        Instant accepted = Instant.now();
        JsonNode order = JSON.readTree(exchange.getRequestBody().readAllBytes());
        double total = 0;
        for (JsonNode line : order.path("lines")) {
            total += line.path("quantity").asInt() * line.path("unitPrice").asDouble();
        }
        String fulfillment = order.path("fulfillment").asString();
        String orderId = UUID.randomUUID().toString();
        String body = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"OrderPlaced\",\"orderId\":\""
                + orderId + "\",\"fulfillment\":\"" + fulfillment + "\",\"total\":" + total + "}";
        double orderTotal = total;
        sns.publish(r -> r.topicArn(aws.topology().topicArn(Topology.ORDER_EVENTS))
                .message(body)
                .messageAttributes(Map.of(
                        OrderEventAttributes.EVENT_TYPE, text(OrderEventAttributes.ORDER_PLACED),
                        OrderEventAttributes.FULFILLMENT, text(fulfillment),
                        OrderEventAttributes.TOTAL,
                                MessageAttributeValue.builder()
                                        .dataType("Number")
                                        .stringValue(Double.toString(orderTotal))
                                        .build(),
                        OrderEventAttributes.COUNTRY, text(order.path("country").asString()))));
        orders.put(orderId, new Instant[] {accepted, Instant.now()});
        respond(exchange, 201, "{\"id\":\"" + orderId + "\"}");
    }

    /** Stand-in for click-ingest-service: puts the batch on the stream, partition key = session, answers 202. */
    private static void acceptClicks(HttpExchange exchange) throws IOException {
        JsonNode clicks = JSON.readTree(exchange.getRequestBody().readAllBytes());
        var entries = new ArrayList<PutRecordsRequestEntry>();
        for (JsonNode click : clicks) {
            entries.add(PutRecordsRequestEntry.builder()
                    .partitionKey(click.path("sessionId").asString())
                    .data(SdkBytes.fromUtf8String(click.toString()))
                    .build());
        }
        kinesis.putRecords(r -> r.streamName(stream).records(entries));
        respond(exchange, 202, "");
    }

    /** The counters in Prometheus' text format, as the services' /actuator/prometheus shows them. */
    private static void prometheus(HttpExchange exchange, MeterRegistry calls) throws IOException {
        var text = new StringBuilder();
        for (var name : List.of("aws.requests", "aws.requests.unbatched")) {
            for (var counter : calls.find(name).counters()) {
                text.append(name.replace('.', '_'))
                        .append("_total{aws_service=\"")
                        .append(counter.getId().getTag("aws.service"))
                        .append("\",operation=\"")
                        .append(counter.getId().getTag("operation"))
                        .append("\"} ")
                        .append(counter.count())
                        .append('\n');
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
        exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
