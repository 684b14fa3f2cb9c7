package io.decoupled.console.cost;

import io.decoupled.console.panel.Panel;
import io.decoupled.console.services.ServiceClient;
import io.decoupled.console.services.ServicesProperties;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Panel "cost": scrapes each service's {@code aws_requests_total} and {@code aws_requests_unbatched_total}
 * (Prometheus text, one GET per service), keeps the first scrape as the baseline, and prices the calls since then
 * with {@link AwsPrices}. Dividing by the orders and clicks of the same interval gives dollars per million. Scrapes at
 * most every {@link #EVERY}, so the meter adds four requests every few seconds, not every refresh.
 */
@Component
public class CostMeter {
    static final Duration EVERY = Duration.ofSeconds(5);
    static final String SOURCE =
            "each service's /actuator/prometheus aws_requests_total, aws_requests_unbatched_total; prices: docs/cost.md";
    private static final Pattern SAMPLE = Pattern.compile("^(aws_requests(?:_unbatched)?_total)\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The counters of one scrape with the orders and clicks at that moment. */
    record Reading(Instant at, Map<Key, double[]> counts, long orders, long clicks) {}

    /** One counter series: which service sent it, to which AWS service, which operation. */
    record Key(String service, String awsService, String operation) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return (service + awsService + operation).compareTo(o.service + o.awsService + o.operation);
        }
    }

    /** How the meter reads a service's scrape (the ServiceClient; a lambda in tests). */
    interface Scraper {
        Optional<String> text(URI base, String path);
    }

    private final Scraper client;
    private final Map<String, URI> services;
    private final Clock clock;
    private volatile Reading baseline;
    private volatile Panel<CostView> last;
    private volatile Instant lastAt = Instant.MIN;

    @Autowired
    CostMeter(ServiceClient client, ServicesProperties properties) {
        this(
                client::text,
                Map.of(
                        "order-service",
                        properties.orderUrl(),
                        "shipping-service",
                        properties.shippingUrl(),
                        "click-ingest-service",
                        properties.clickUrl(),
                        "analytics-service",
                        properties.analyticsUrl()),
                Clock.systemUTC());
    }

    CostMeter(Scraper client, Map<String, URI> services, Clock clock) {
        this.client = client;
        this.services = new TreeMap<>(services);
        this.clock = clock;
    }

    /** The meter now; {@code orders} and {@code clicks} are running totals (null when their panel is not available). */
    public Panel<CostView> read(Long orders, Long clicks) {
        var now = clock.instant();
        if (last != null && Duration.between(lastAt, now).compareTo(EVERY) < 0) {
            return last;
        }
        var counts = new TreeMap<Key, double[]>();
        var silent = new ArrayList<String>();
        // In parallel: a service that does not answer costs one timeout, not one per service.
        Map<String, Optional<String>> scrapes;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new TreeMap<String, Future<Optional<String>>>();
            services.forEach(
                    (name, url) -> futures.put(name, pool.submit(() -> client.text(url, "/actuator/prometheus"))));
            scrapes = new TreeMap<>();
            futures.forEach((name, future) -> scrapes.put(name, result(future)));
        }
        scrapes.forEach((name, text) -> text.ifPresentOrElse(t -> parse(name, t, counts), () -> silent.add(name)));
        if (counts.isEmpty()) {
            return remember(
                    now,
                    Panel.unavailable(
                            SOURCE,
                            "not available: no service reported aws_requests_total yet"
                                    + (silent.isEmpty() ? "" : " (no answer from " + String.join(", ", silent) + ")")));
        }
        var reading = new Reading(now, counts, orders == null ? 0 : orders, clicks == null ? 0 : clicks);
        if (baseline == null) {
            baseline = reading;
        }
        return remember(now, Panel.of(SOURCE, view(baseline, reading)));
    }

    private static Optional<String> result(Future<Optional<String>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    private Panel<CostView> remember(Instant now, Panel<CostView> panel) {
        last = panel;
        lastAt = now;
        return panel;
    }

    /** Prices the calls between two readings. Pure, so the arithmetic is tested without services. */
    static CostView view(Reading from, Reading to) {
        var rows = new ArrayList<CostView.Row>();
        double ordersDollars = 0;
        double ordersUnbatched = 0;
        double clicksDollars = 0;
        double clicksUnbatched = 0;
        var savings = new LinkedHashMap<String, double[]>();
        for (var entry : to.counts().entrySet()) {
            var key = entry.getKey();
            var before = from.counts().getOrDefault(key, new double[2]);
            double requests = Math.max(0, entry.getValue()[0] - before[0]);
            double unbatched = Math.max(0, entry.getValue()[1] - before[1]);
            if (requests == 0 && unbatched == 0) {
                continue;
            }
            var price = AwsPrices.of(key.awsService(), key.operation());
            double perCall = price.dollarsPerMillion() / 1_000_000;
            double dollars = (price.perItem() ? unbatched : requests) * perCall;
            double dollarsUnbatched = unbatched * perCall;
            rows.add(new CostView.Row(
                    key.service(),
                    key.awsService(),
                    key.operation(),
                    price.flow().name().toLowerCase(),
                    requests,
                    unbatched,
                    price.dollarsPerMillion(),
                    price.perItem(),
                    dollars,
                    dollarsUnbatched));
            if (price.flow() == AwsPrices.Flow.ORDERS) {
                ordersDollars += dollars;
                ordersUnbatched += dollarsUnbatched;
            } else {
                clicksDollars += dollars;
                clicksUnbatched += dollarsUnbatched;
            }
            var saving = savings.computeIfAbsent(technique(key.operation()), t -> new double[2]);
            saving[0] += Math.max(0, unbatched - requests);
            saving[1] += dollarsUnbatched - dollars;
        }
        long orders = Math.max(0, to.orders() - from.orders());
        long clicks = Math.max(0, to.clicks() - from.clicks());
        var savingList = savings.entrySet().stream()
                .filter(e -> e.getValue()[0] > 0)
                .map(e -> new CostView.Saving(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList();
        return new CostView(
                from.at(),
                AwsPrices.REGION,
                orders,
                clicks,
                List.copyOf(rows),
                perMillion(ordersDollars, ordersUnbatched, orders),
                perMillion(clicksDollars, clicksUnbatched, clicks),
                savingList);
    }

    private static String technique(String operation) {
        return switch (operation) {
            case "ReceiveMessage" -> "long polling and receiving up to 10 messages per call";
            case "PutRecords" -> "PutRecords batching (Kinesis bills per record, so calls, not dollars)";
            default -> operation.endsWith("Batch") ? "batching (" + operation + ")" : "other";
        };
    }

    private static CostView.PerMillion perMillion(double dollars, double unbatched, long count) {
        return count == 0
                ? new CostView.PerMillion(null, null)
                : new CostView.PerMillion(dollars / count * 1_000_000, unbatched / count * 1_000_000);
    }

    static void parse(String service, String text, Map<Key, double[]> counts) {
        for (var line : text.split("\n")) {
            var sample = SAMPLE.matcher(line);
            if (!sample.find()) {
                continue;
            }
            String awsService = null;
            String operation = null;
            var label = LABEL.matcher(sample.group(2));
            while (label.find()) {
                switch (label.group(1)) {
                    case "aws_service" -> awsService = label.group(2);
                    case "operation" -> operation = label.group(2);
                    default -> {}
                }
            }
            if (awsService == null || operation == null) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(sample.group(3));
            } catch (NumberFormatException e) {
                continue;
            }
            var slot = counts.computeIfAbsent(new Key(service, awsService, operation), k -> new double[2]);
            slot[sample.group(1).equals("aws_requests_total") ? 0 : 1] += value;
        }
    }
}
