package io.decoupled.console.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.BenchmarkReport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End-to-end latency of the whole system at a fixed offered load (issue 14), started the way the demo starts it
 * ({@link EmbeddedSystem}: emulators, embedded PostgreSQL, the four service jars as child processes with the local
 * profile; no console, so no load but this benchmark's). Per order: accepted → shipment recorded → DELIVERED, split
 * into hops from the services' own timestamps ({@code /orders/{id}/path}, {@code /shipments/{orderId}/path},
 * {@code /analytics/orders/{orderId}/path}); per click: sent → counted in analytics ({@code counted_click.counted_at}).
 *
 * <p>Opt-in: runs only with {@code -Pbenchmark} and needs the service jars, so the command names the service modules:
 * {@code ./mvnw -B -Pbenchmark verify -pl order-service,shipping-service,click-ingest-service,analytics-service,platform/console -am
 * -Dit.test=EndToEndLatencyBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false}. Latencies are reported, never a
 * verdict; it fails only when an order or click is lost (not delivered or not counted by the end of the drain).
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class EndToEndLatencyBenchmarkIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ORDERS_PER_SECOND = Integer.getInteger("benchmark.e2e.orders-per-second", 20);
    private static final int CLICKS_PER_SECOND = Integer.getInteger("benchmark.e2e.clicks-per-second", 200);
    private static final int SECONDS = Integer.getInteger("benchmark.e2e.seconds", 60);
    /**
     * The load runs this long before the measured window: the same rate, every request checked for its one effect like
     * the others, but not in the percentiles. It is when the services' pools grow, the JIT compiles the hot paths and
     * shipping's autoscaler reacts for the first time; the per-10 s p99 in the JSON shows that transient beside the
     * steady state.
     */
    private static final int WARM_UP_SECONDS = Integer.getInteger("benchmark.e2e.warm-up-seconds", 20);
    /** Clicks go in requests of this many, ten requests a second at 200 clicks/s (as the console's generator sends them). */
    private static final int CLICKS_PER_REQUEST = Math.max(1, CLICKS_PER_SECOND / 10);

    /** Why requests failed: an HTTP status or the exception's class (a timeout at 10 s, a refused connection), with counts. */
    private final Map<String, Integer> failureReasons = new ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @Test
    void measuresOrderAndClickLatencyThroughTheWholeSystemAtAFixedLoad() throws Exception {
        Path root = Path.of(System.getProperty("console.repository-root", "../.."))
                .toAbsolutePath()
                .normalize();
        String version = System.getProperty("console.version", "0.1.0-SNAPSHOT");
        var commands = withJvmOptions(
                // As the demo: from the extracted jars with the JDK's AOT cache (the first run after a build records
                // it),
                // or the fat jars with -Dconsole.aot-cache=false.
                EmbeddedSystem.Options.jarCommand(
                        root,
                        version,
                        EmbeddedSystem.Options.aotCache(System.getProperty("console.aot-cache"))
                                ? AotCache.forThisJdk()
                                : null),
                System.getProperty("benchmark.e2e.jvm-options", ""),
                System.getProperty("benchmark.e2e.env", ""));
        // Each command once: with the AOT cache, building one extracts the jar and announces a recording run, so the
        // launcher is given the commands checked here rather than asked to build them again.
        var launched = new HashMap<ServiceDefinition, Optional<List<String>>>();
        for (var service : ServiceDefinition.ALL) {
            var command = commands.apply(service);
            assertThat(command)
                    .as(service.module() + "'s jar: name the service modules in -pl (see the class comment)")
                    .isPresent();
            launched.put(service, command);
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        var logs = root.resolve("platform/console/target/e2e-benchmark/" + stamp);
        Instant launch = Instant.now();
        try (var system =
                EmbeddedSystem.start(new EmbeddedSystem.Options(root, version, 0, false, launched::get, logs))) {
            Instant up = Instant.now();
            assertThat(system.services()).hasSize(4).allMatch(ServiceProcess::isAlive);
            URI orders = url(system, "order-service");
            URI clicks = url(system, "click-ingest-service");
            URI shipping = url(system, "shipping-service");
            URI analytics = url(system, "analytics-service");
            String analyticsDb = system.postgres().jdbcUrl("analytics");

            // Time to first click counted: one click a second from the moment every service is healthy.
            var firstClick = new ConcurrentLinkedQueue<UUID>();
            var consumerStates = new ArrayList<String>();
            var warmUp = Executors.newSingleThreadScheduledExecutor();
            warmUp.scheduleAtFixedRate(
                    () -> postClicks(clicks, 1).join().ifPresent(r -> firstClick.addAll(r.ids())),
                    0,
                    1,
                    TimeUnit.SECONDS);
            Instant firstCounted;
            try {
                await().atMost(Duration.ofMinutes(4))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            // What analytics says its consumer is doing meanwhile (the console panel's sentence), each
                            // change with its time.
                            send(HttpRequest.newBuilder(analytics.resolve("/analytics/clickstream/consumer"))
                                            .GET()
                                            .build())
                                    .map(consumer -> consumer.path("status").asString())
                                    .filter(status -> consumerStates.isEmpty()
                                            || !consumerStates.getLast().endsWith(status))
                                    .ifPresent(status -> consumerStates.add(String.format(
                                            "+%.1fs %s",
                                            Duration.between(up, Instant.now()).toMillis() / 1000.0, status)));
                            return countedAt(analyticsDb, List.copyOf(firstClick))
                                            .size()
                                    > 0;
                        });
                firstCounted = Instant.now();
            } finally {
                warmUp.shutdownNow();
            }
            // ...and one order through to its shipment, so the measured window starts with every consumer running.
            var warmOrder = postOrder(orders).join().orElseThrow();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> hop(
                                    get(shipping.resolve("/shipments/" + warmOrder.id() + "/path")),
                                    "received by shipping")
                            .isPresent());

            // The measured window: a tick every 100 ms sends a tenth of a second's orders and one request of clicks.
            var sentOrders = new ConcurrentLinkedQueue<Sent>();
            var sentClicks = new ConcurrentLinkedQueue<Sent>();
            var failures = new AtomicInteger();
            // Open loop: each request leaves at its time whatever the answers before it took (asynchronous client).
            var requests = new ConcurrentLinkedQueue<CompletableFuture<?>>();
            var ticker = Executors.newSingleThreadScheduledExecutor();
            var orderCredit = new double[1];
            var clickCredit = new double[1];
            Instant loadStart = Instant.now();
            Instant measuredFrom = loadStart.plusSeconds(WARM_UP_SECONDS);
            ticker.scheduleAtFixedRate(
                    () -> {
                        orderCredit[0] += ORDERS_PER_SECOND / 10.0;
                        clickCredit[0] += CLICKS_PER_SECOND / 10.0;
                        while (orderCredit[0] >= 1) {
                            orderCredit[0] -= 1;
                            requests.add(postOrder(orders)
                                    .thenAccept(
                                            sent -> sent.ifPresentOrElse(sentOrders::add, failures::incrementAndGet)));
                        }
                        while (clickCredit[0] >= CLICKS_PER_REQUEST) {
                            clickCredit[0] -= CLICKS_PER_REQUEST;
                            requests.add(postClicks(clicks, CLICKS_PER_REQUEST)
                                    .thenAccept(
                                            sent -> sent.ifPresentOrElse(sentClicks::add, failures::incrementAndGet)));
                        }
                    },
                    0,
                    100,
                    TimeUnit.MILLISECONDS);
            ticker.awaitTermination(WARM_UP_SECONDS + SECONDS, TimeUnit.SECONDS);
            ticker.shutdownNow();
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            Instant loadEnd = Instant.now();
            double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            var rss = new LinkedHashMap<String, Object>();
            for (var service : system.services()) {
                rss.put(service.name() + "RssMiB", rssMiB(service.pid()));
                if (System.getProperty("benchmark.e2e.jvm-options", "").contains("NativeMemoryTracking")) {
                    // Where the resident memory goes (heap, metaspace, code, threads, GC, malloc), next to the
                    // service's log.
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                            .toString(),
                                    Long.toString(service.pid()),
                                    "VM.native_memory",
                                    "summary")
                            .redirectErrorStream(true)
                            .redirectOutput(
                                    logs.resolve(service.name() + ".nmt.txt").toFile())
                            .start()
                            .waitFor(30, TimeUnit.SECONDS);
                }
            }

            // Clicks: every one counted (exactly the ids sent), latency from the moment its request was sent.
            var clickIds = sentClicks.stream().flatMap(s -> s.ids().stream()).toList();
            var sentAt = new HashMap<UUID, Instant>();
            sentClicks.forEach(s -> s.ids().forEach(id -> sentAt.put(id, s.sentAt())));
            var counted = new HashMap<UUID, Instant>();
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        counted.putAll(countedAt(
                                analyticsDb,
                                clickIds.stream()
                                        .filter(id -> !counted.containsKey(id))
                                        .toList()));
                        assertThat(counted).as("clicks counted").hasSize(clickIds.size());
                    });
            var clickLatency = new ArrayList<Double>();
            counted.forEach((id, at) -> {
                if (!sentAt.get(id).isBefore(measuredFrom)) {
                    clickLatency.add(millis(sentAt.get(id), at));
                }
            });

            // Orders: each one delivered (the delivery confirmation waits in the delay queue by design), then its hops.
            var paths = new ConcurrentHashMap<UUID, OrderHops>();
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(3))
                    .untilAsserted(() -> {
                        for (var order : sentOrders) {
                            if (!paths.containsKey(order.id())) {
                                hops(order.id(), orders, shipping, analytics).ifPresent(h -> paths.put(order.id(), h));
                            }
                        }
                        assertThat(paths).as("orders delivered").hasSize(sentOrders.size());
                    });

            var details = new LinkedHashMap<String, Object>();
            details.put("ordersPerSecond", ORDERS_PER_SECOND);
            details.put("clicksPerSecond", CLICKS_PER_SECOND);
            details.put("seconds", SECONDS);
            details.put("warmUpSeconds", WARM_UP_SECONDS);
            // Sent and checked (each delivered or counted exactly once), warm-up included; the percentiles are of the
            // measured window only.
            details.put("orders", sentOrders.size());
            details.put("clicks", clickIds.size());
            details.put("failedRequests", failures.get());
            details.put("failedRequestReasons", new TreeMap<>(failureReasons));
            double loadSeconds = Duration.between(measuredFrom, loadEnd).toMillis() / 1000.0;
            details.put("loadSeconds", loadSeconds);
            // The rate of answered requests over the window and the wait for the last answers.
            details.put(
                    "ordersSentPerSecond",
                    sentOrders.stream()
                                    .filter(o -> !o.sentAt().isBefore(measuredFrom))
                                    .count()
                            / loadSeconds);
            details.put(
                    "clicksSentPerSecond",
                    sentClicks.stream()
                                    .filter(c -> !c.sentAt().isBefore(measuredFrom))
                                    .mapToInt(c -> c.ids().size())
                                    .sum()
                            / loadSeconds);
            details.put("jvmOptions", System.getProperty("benchmark.e2e.jvm-options", ""));
            details.put("environment", System.getProperty("benchmark.e2e.env", ""));
            details.put("loadAverageAtEndOfLoad", loadAverage);
            details.put("servicesUpSeconds", Duration.between(launch, up).toMillis() / 1000.0);
            details.put(
                    "firstClickCountedSecondsAfterUp",
                    Duration.between(up, firstCounted).toMillis() / 1000.0);
            details.putAll(rss);
            details.put("consumerStatesBeforeFirstClick", String.join(" | ", consumerStates));

            var sentOrderAt = new HashMap<UUID, Instant>();
            sentOrders.forEach(o -> sentOrderAt.put(o.id(), o.sentAt()));
            var measured = paths.entrySet().stream()
                    .filter(e -> !sentOrderAt.get(e.getKey()).isBefore(measuredFrom))
                    .map(Map.Entry::getValue)
                    .toList();
            Function<Function<OrderHops, Double>, List<Double>> of =
                    f -> measured.stream().map(f).toList();
            // Every order's hop times, to see when in the load a tail happened (a start-up transient or steady state).
            writeOrderTimes(logs.resolve("orders.csv"), paths.values());
            var firstLeg = new LinkedHashMap<String, Object>(details);
            // From the start of the warm-up: its first WARM_UP_SECONDS / 10 entries are the warm-up's.
            firstLeg.put("p99MsPer10s", p99PerWindow(paths.values(), OrderHops::toShipmentRecorded));
            firstLeg.put(
                    "hopAcceptedToPublishedP99MsPer10s", p99PerWindow(paths.values(), OrderHops::acceptedToPublished));
            firstLeg.put(
                    "hopPublishedToShipmentRecordedP99MsPer10s",
                    p99PerWindow(paths.values(), OrderHops::publishedToRecorded));
            report(
                    "e2e-order-accepted-to-shipment-recorded",
                    of.apply(OrderHops::toShipmentRecorded),
                    500,
                    firstLeg,
                    Map.of(
                            "hopAcceptedToPublished", of.apply(OrderHops::acceptedToPublished),
                            "hopPublishedToShipmentRecorded", of.apply(OrderHops::publishedToRecorded)));
            report(
                    "e2e-order-shipment-recorded-to-delivered",
                    of.apply(OrderHops::recordedToDelivered),
                    Double.NaN,
                    details,
                    Map.of(
                            "hopRecordedToConfirmedDelivered", of.apply(OrderHops::recordedToShippingDelivered),
                            "hopShippingDeliveredToOrderDelivered",
                                    of.apply(OrderHops::shippingDeliveredToOrderDelivered)));
            report("e2e-order-accepted-to-delivered", of.apply(OrderHops::toDelivered), Double.NaN, details, Map.of());
            report(
                    "e2e-order-accepted-to-counted-in-analytics",
                    of.apply(OrderHops::toAnalytics),
                    Double.NaN,
                    details,
                    Map.of());
            report("e2e-click-accepted-to-counted", clickLatency, 2000, details, Map.of());
            BenchmarkReport.info(
                    "e2e-first-click-counted",
                    "secondsAfterServicesUp",
                    Duration.between(up, firstCounted).toMillis() / 1000.0,
                    details);
            assertThat(failures.get())
                    .as("requests refused or failed during the load: " + failureReasons)
                    .isZero();
        }
    }

    /**
     * {@code -Dbenchmark.e2e.jvm-options="-XX:+UseSerialGC ..."} and {@code -Dbenchmark.e2e.env="MALLOC_ARENA_MAX=2"}: options and
     * environment for the service JVMs, to measure a setting against the launcher's own ({@code env} replaces itself by java, same pid).
     */
    private static Function<ServiceDefinition, Optional<List<String>>> withJvmOptions(
            Function<ServiceDefinition, Optional<List<String>>> commands, String options, String environment) {
        if (options.isBlank() && environment.isBlank()) {
            return commands;
        }
        return service -> commands.apply(service).map(command -> {
            var withOptions = new ArrayList<>(command);
            if (!options.isBlank()) {
                // Just before -jar, after the launcher's own options, so that an option given here wins (the last one
                // counts).
                withOptions.addAll(
                        withOptions.indexOf("-jar"), List.of(options.strip().split("\\s+")));
            }
            if (!environment.isBlank()) {
                withOptions.add(0, "env");
                withOptions.addAll(1, List.of(environment.strip().split("\\s+")));
            }
            return List.copyOf(withOptions);
        });
    }

    /** One order's times from the three services' paths; present once order-service has applied ShipmentDelivered. */
    private Optional<OrderHops> hops(UUID id, URI orders, URI shipping, URI analytics) {
        var orderPath = get(orders.resolve("/orders/" + id + "/path"));
        var applied = orderPath
                .path("hops")
                .valueStream()
                .filter(h -> h.path("hop").asString().equals("FIFO update applied")
                        && h.path("detail").asString().startsWith("ShipmentDelivered"))
                .map(h -> Instant.parse(h.path("at").asString()))
                .findFirst();
        if (applied.isEmpty()) {
            return Optional.empty();
        }
        var shipmentPath = get(shipping.resolve("/shipments/" + id + "/path"));
        var analyticsPath = get(analytics.resolve("/analytics/orders/" + id + "/path"));
        var counted = hop(analyticsPath, "counted in analytics");
        if (counted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OrderHops(
                hop(orderPath, "HTTP accepted").orElseThrow(),
                hop(orderPath, "published to SNS").orElseThrow(),
                hop(shipmentPath, "received by shipping").orElseThrow(),
                hop(shipmentPath, "delivered").orElseThrow(),
                applied.get(),
                counted.get()));
    }

    private static Optional<Instant> hop(JsonNode path, String name) {
        return path.path("hops")
                .valueStream()
                .filter(h -> h.path("hop").asString().equals(name))
                .map(h -> Instant.parse(h.path("at").asString()))
                .findFirst();
    }

    private static void report(
            String name,
            List<Double> millis,
            double barMillis,
            Map<String, Object> common,
            Map<String, List<Double>> hops) {
        var details = new LinkedHashMap<String, Object>();
        details.put("n", millis.size());
        details.put("p50Ms", percentile(millis, 50));
        details.put("p99Ms", percentile(millis, 99));
        details.put("maxMs", percentile(millis, 100));
        hops.forEach((hop, values) -> {
            details.put(hop + "P50Ms", percentile(values, 50));
            details.put(hop + "P99Ms", percentile(values, 99));
            details.put(hop + "MaxMs", percentile(values, 100));
        });
        details.putAll(common);
        if (Double.isNaN(barMillis)) {
            BenchmarkReport.info(name, "p99Ms", percentile(millis, 99), details);
        } else {
            BenchmarkReport.atMost(name, "p99Ms", percentile(millis, 99), barMillis, details);
        }
    }

    /** The p99 of one measure for the orders accepted in each 10 s of the load, in order (rounded to the millisecond). */
    static List<Long> p99PerWindow(Collection<OrderHops> orders, Function<OrderHops, Double> measure) {
        var first = orders.stream().map(OrderHops::accepted).min(Instant::compareTo);
        if (first.isEmpty()) {
            return List.of();
        }
        var windows = new TreeMap<Long, List<Double>>();
        for (var order : orders) {
            long window = Duration.between(first.get(), order.accepted()).toSeconds() / 10;
            windows.computeIfAbsent(window, w -> new ArrayList<>()).add(measure.apply(order));
        }
        return windows.values().stream()
                .map(values -> Math.round(percentile(values, 99)))
                .toList();
    }

    private static void writeOrderTimes(Path file, Collection<OrderHops> orders) throws IOException {
        var lines = new ArrayList<String>();
        lines.add("accepted,published,shipment_recorded,shipping_delivered,order_delivered,counted_in_analytics");
        orders.stream()
                .sorted(Comparator.comparing(OrderHops::accepted))
                .forEach(o -> lines.add(String.join(
                        ",",
                        o.accepted().toString(),
                        o.published().toString(),
                        o.shipmentRecorded().toString(),
                        o.shippingDelivered().toString(),
                        o.orderDelivered().toString(),
                        o.countedInAnalytics().toString())));
        Files.write(file, lines);
    }

    static double percentile(List<Double> values, int percent) {
        var sorted = new ArrayList<>(values);
        sorted.sort(null);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.clamp(index, 0, sorted.size() - 1));
    }

    private CompletableFuture<Optional<Sent>> postOrder(URI orders) {
        var body = Map.of(
                "customerId",
                "c-bench",
                "sessionId",
                "s-bench",
                "fulfillment",
                "SHIP",
                "country",
                "DE",
                "lines",
                List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", 19.99)));
        var request = HttpRequest.newBuilder(orders.resolve("/orders"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        Instant sent = Instant.now();
        return sendAsync(request)
                .thenApply(reply -> reply.map(
                        r -> new Sent(sent, List.of(UUID.fromString(r.path("id").asString())))));
    }

    private CompletableFuture<Optional<Sent>> postClicks(URI clicks, int count) {
        var body = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < count; i++) {
            body.add(Map.of(
                    "sessionId",
                    "s-bench-" + (i % 50),
                    "userId",
                    "u-" + (i % 50),
                    "page",
                    "/products/" + (i % 7),
                    "timestamp",
                    Instant.now().toString()));
        }
        var request = HttpRequest.newBuilder(clicks.resolve("/clicks"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        Instant sent = Instant.now();
        return sendAsync(request)
                .thenApply(reply -> reply.map(r -> new Sent(
                        sent,
                        r.path("clickIds")
                                .valueStream()
                                .map(id -> UUID.fromString(id.asString()))
                                .toList())));
    }

    /** A 2xx answer's JSON, or empty for any other status or a failed exchange (counted as a failed request). */
    private CompletableFuture<Optional<JsonNode>> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    if (response.statusCode() / 100 == 2) {
                        return Optional.of(JSON.readTree(response.body()));
                    }
                    failureReasons.merge("HTTP " + response.statusCode(), 1, Integer::sum);
                    return Optional.<JsonNode>empty();
                })
                .exceptionally(failed -> {
                    var cause = failed.getCause() != null ? failed.getCause() : failed;
                    failureReasons.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
                    return Optional.empty();
                });
    }

    private Optional<JsonNode> send(HttpRequest request) {
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() / 100 == 2 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private JsonNode get(URI uri) {
        return send(HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build())
                .orElseThrow(() -> new IllegalStateException("GET " + uri));
    }

    /** When analytics counted each of these clicks (its dedupe table's {@code counted_at}); the ones not counted yet are absent. */
    private static Map<UUID, Instant> countedAt(String jdbcUrl, List<UUID> ids) throws SQLException {
        var counted = new HashMap<UUID, Instant>();
        if (ids.isEmpty()) {
            return counted;
        }
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                var statement = connection.prepareStatement(
                        "select click_id, counted_at from counted_click where click_id = any(?)")) {
            statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    counted.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant());
                }
            }
        }
        return counted;
    }

    private static long rssMiB(long pid) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static URI url(EmbeddedSystem system, String name) {
        return system.services().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow()
                .url();
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1_000_000.0;
    }

    /** What one request carried: when it was sent and the ids the service answered with. */
    private record Sent(Instant sentAt, List<UUID> ids) {
        UUID id() {
            return ids.getFirst();
        }
    }

    /** One order's hop times, each from the service that made the step. */
    private record OrderHops(
            Instant accepted,
            Instant published,
            Instant shipmentRecorded,
            Instant shippingDelivered,
            Instant orderDelivered,
            Instant countedInAnalytics) {
        double toShipmentRecorded() {
            return millis(accepted, shipmentRecorded);
        }

        double acceptedToPublished() {
            return millis(accepted, published);
        }

        double publishedToRecorded() {
            return millis(published, shipmentRecorded);
        }

        double recordedToDelivered() {
            return millis(shipmentRecorded, orderDelivered);
        }

        double recordedToShippingDelivered() {
            return millis(shipmentRecorded, shippingDelivered);
        }

        double shippingDeliveredToOrderDelivered() {
            return millis(shippingDelivered, orderDelivered);
        }

        double toDelivered() {
            return millis(accepted, orderDelivered);
        }

        double toAnalytics() {
            return millis(accepted, countedInAnalytics);
        }
    }
}
