package io.decoupled.console.load;

import io.decoupled.topology.OrderEventAttributes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Makes plausible shop traffic: sessions that browse a few pages and sometimes order. Orders carry the
 * session id of their clicks, which is what lets analytics-service build the click-to-order funnel. Bodies
 * follow the services' REST contracts (POST /orders, POST /clicks).
 */
final class Traffic {
    private static final List<String> COUNTRIES = List.of("DE", "FR", "NL", "US", "GB", "SE", "ES", "IT");
    private static final List<String> PAGES = List.of(
            "/", "/products/1", "/products/2", "/products/3", "/products/42", "/search?q=book", "/cart", "/checkout");

    private final RandomGenerator random;
    private final LoadProperties properties;
    private final String runId;

    Traffic(RandomGenerator random, LoadProperties properties, String runId) {
        this.random = random;
        this.properties = properties;
        this.runId = runId;
    }

    String sessionId() {
        return "s-" + runId + "-" + random.nextInt(properties.sessions());
    }

    Map<String, Object> order() {
        var lines = new ArrayList<Map<String, Object>>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            lines.add(line("SKU-" + (1 + random.nextInt(40)), 1 + random.nextInt(3), price(5, 150)));
        }
        if (random.nextDouble() < properties.highValueShare()) {
            // One expensive line takes the total past the review threshold (order-review's body filter).
            lines.add(line(
                    "TV-85",
                    1,
                    price(OrderEventAttributes.REVIEW_THRESHOLD, OrderEventAttributes.REVIEW_THRESHOLD + 2000)));
        }
        var order = new LinkedHashMap<String, Object>();
        order.put("customerId", "c-" + random.nextInt(1000));
        order.put("sessionId", sessionId());
        order.put(
                "fulfillment",
                random.nextDouble() < properties.shipShare()
                        ? OrderEventAttributes.SHIP
                        : OrderEventAttributes.DIGITAL);
        order.put("country", COUNTRIES.get(random.nextInt(COUNTRIES.size())));
        order.put("lines", lines);
        return order;
    }

    List<Map<String, Object>> clicks(int count, Instant now) {
        var clicks = new ArrayList<Map<String, Object>>(count);
        for (int i = 0; i < count; i++) {
            int page = random.nextInt(PAGES.size());
            var click = new LinkedHashMap<String, Object>();
            String session = sessionId();
            click.put("sessionId", session);
            click.put("userId", "u-" + session.substring(session.lastIndexOf('-') + 1));
            click.put("page", PAGES.get(page));
            if (page > 0) {
                click.put("referrer", PAGES.get(page - 1));
            }
            click.put("timestamp", now.toString());
            clicks.add(click);
        }
        return clicks;
    }

    private static Map<String, Object> line(String sku, int quantity, BigDecimal unitPrice) {
        var line = new LinkedHashMap<String, Object>();
        line.put("sku", sku);
        line.put("quantity", quantity);
        line.put("unitPrice", unitPrice);
        return line;
    }

    private BigDecimal price(int min, int max) {
        return BigDecimal.valueOf(min + random.nextDouble() * (max - min)).setScale(2, RoundingMode.HALF_UP);
    }
}
