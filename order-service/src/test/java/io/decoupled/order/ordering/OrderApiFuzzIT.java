package io.decoupled.order.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.fuzz.Fuzz;
import io.decoupled.fuzz.Gen;
import io.decoupled.order.OrderServiceITSupport;
import io.decoupled.websecurity.DeclaredHardening;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint of the orders API, fuzzed with generated input ({@link Fuzz}): thousands of generated requests (control characters, lone
 * surrogates, huge and negative numbers, extreme exponents, wrong types, deep nesting, malformed and oversized
 * bodies, odd Idempotency-Keys, keys sent twice). For each: never a 5xx, every error is problem+json, and its detail
 * quotes at most a short prefix of what was sent; an accepted order is what was sent (no key twice, no quantity cut). After the run, every order the API accepted is in the orders table and in the
 * outbox exactly once, and the relay published each of them.
 *
 * <p>Runs in MockMvc over the real controllers, the real PostgreSQL and the real emulators: the application context
 * is the one {@link OrderServiceITSupport} describes, from Spring's test context cache. The last check runs after
 * every endpoint's run ({@code @AfterAll}), so the database is kept in a static field.
 */
class OrderApiFuzzIT extends OrderServiceITSupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Reads a body as the client meant it: a key sent twice is an error, not its last value. */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** A body just over the service's 1 MiB limit (order.web.max-request-body). */
    private static final int OVER_LIMIT = 1024 * 1024 + 1;

    private static JdbcClient db;
    /** Orders the API created (201, not replayed), by id. */
    private static final Set<String> accepted = ConcurrentHashMap.newKeySet();
    /** Idempotency-Key to the body and order id it first created. */
    private static final Map<String, Map.Entry<String, String>> keys = new ConcurrentHashMap<>();

    private static final AtomicInteger cases = new AtomicInteger();
    private static final AtomicInteger replays = new AtomicInteger();
    /** The last Idempotency-Key that created an order, with the exact body it came with. */
    private static volatile Map.Entry<String, String> lastKeyed;

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    private ApplicationContext application;

    @Autowired
    private MockMvcTester api;

    @BeforeEach
    void keepTheDatabaseForTheLastCheck(@Autowired JdbcClient jdbc) {
        db = jdbc;
    }

    /** The shared Tomcat hardening is declared here (what it does is tested in platform/web-security). */
    @Test
    void theServiceDeclaresTheSharedTomcatHardening() {
        DeclaredHardening.assertDeclaredIn(application);
    }

    @AfterAll
    static void everyAcceptedOrderIsStoredAndPublishedExactlyOnce() {
        assertThat(accepted)
                .as("the fuzz run must create some orders, or the check below proves nothing")
                .hasSizeGreaterThan(100);
        var ids = accepted.stream().map(UUID::fromString).toList();
        for (int from = 0; from < ids.size(); from += 500) {
            var chunk = ids.subList(from, Math.min(from + 500, ids.size()));
            assertThat(db.sql("select count(*) from orders where id in (:ids)")
                            .param("ids", chunk)
                            .query(Long.class)
                            .single())
                    .isEqualTo(chunk.size());
            var placed = db.sql("""
                            select aggregate_id, count(*) from outbox where event_type = 'OrderPlaced' and aggregate_id in (:ids)
                            group by aggregate_id""")
                    .param("ids", chunk.stream().map(UUID::toString).toList())
                    .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .list();
            assertThat(placed)
                    .hasSize(chunk.size())
                    .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).isOne());
        }
        await().atMost(Duration.ofMinutes(3))
                .untilAsserted(() -> assertThat(db.sql("""
                        select count(*) from outbox_status where event_type = 'OrderPlaced' and state <> 'PUBLISHED' and aggregate_id in (:ids)""")
                                .param("ids", List.copyOf(accepted))
                                .query(Long.class)
                                .single())
                        .isZero());
        assertThat(replays.get()).as("identical retries were exercised").isPositive();
        System.out.printf(
                "Order API fuzz: %d requests, %d orders accepted, %d replays%n",
                cases.get(), accepted.size(), replays.get());
    }

    // ---- properties -------------------------------------------------------------------------------------------

    record Placing(Body body, Optional<String> key, Optional<String> accept) {}

    /** Accept headers a client may send; the last two exclude JSON, and a request with them must have no effect. */
    private static final List<String> REFUSING_JSON = List.of("application/xml", "text/html");

    @Test
    void placingAnyOrderNeverFailsOnTheServerSide() {
        var bodies = bodies();
        var idempotencyKeys = idempotencyKeys();
        var accepts = Gen.frequency(
                Gen.weight(85, Gen.just(Optional.<String>empty())),
                Gen.weight(5, Gen.of("*/*", "application/json", "application/*").map(Optional::of)),
                Gen.weight(10, Gen.of(REFUSING_JSON).map(Optional::of)));
        Fuzz.check(
                "POST /orders",
                2500,
                random -> new Placing(bodies.next(random), idempotencyKeys.next(random), accepts.next(random)),
                placing -> place(placing.body(), placing.key(), placing.accept()));
    }

    private long orderCount() {
        return db.sql("select count(*) from orders").query(Long.class).single();
    }

    private void place(Body generated, Optional<String> key, Optional<String> sentAccept) {
        // REPLAY resends an earlier keyed request that created an order, byte for byte: it must come back replayed.
        var replay = key.filter("REPLAY"::equals).map(k -> lastKeyed);
        var body = replay.map(r -> new Body(r.getValue().getBytes(StandardCharsets.UTF_8), List.of()))
                .orElse(generated);
        var sentKey = replay.isPresent() ? Optional.of(replay.get().getKey()) : key.filter(k -> !k.equals("REPLAY"));
        // A replay must come back 201, so it asks for JSON.
        var accept = replay.isPresent() ? Optional.<String>empty() : sentAccept;
        boolean refusesJson = accept.filter(REFUSING_JSON::contains).isPresent();
        long ordersBefore = refusesJson ? orderCount() : -1;
        var request = api.post()
                .uri("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .content(body.bytes());
        if (sentKey.isPresent()) {
            request = request.header("Idempotency-Key", sentKey.get());
        }
        if (accept.isPresent()) {
            request = request.header(HttpHeaders.ACCEPT, accept.get());
        }
        var result = request.exchange();
        checkResponse(result, body.strings());
        int status = result.getResponse().getStatus();
        if (refusesJson) {
            // Refused (406, or a 4xx found earlier), and without effect: no order placed behind the refusal.
            assertThat(status).as("a request that accepts no JSON").isBetween(400, 499);
            assertThat(orderCount()).as("orders after a refused request").isEqualTo(ordersBefore);
            return;
        }
        if (status == 201) {
            acceptedAsSent(body, json(result));
            var id = json(result).path("id").asString();
            boolean replayed = "true".equals(result.getResponse().getHeader("Idempotent-Replayed"));
            if (!replayed) {
                assertThat(accepted.add(id)).as("a new order id").isTrue();
            } else {
                assertThat(accepted)
                        .as("a replay returns an order created before")
                        .contains(id);
            }
            sentKey.ifPresent(k -> {
                var text = new String(body.bytes(), StandardCharsets.UTF_8);
                var first = keys.putIfAbsent(k, Map.entry(text, id));
                if (first != null) {
                    assertThat(first.getValue())
                            .as("the same key returns the same order")
                            .isEqualTo(id);
                    assertThat(replayed).isTrue();
                } else {
                    lastKeyed = Map.entry(k, text);
                }
            });
        }
        if (replay.isPresent()) {
            assertThat(status).as("an identical retry with its Idempotency-Key").isEqualTo(201);
            assertThat(result.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("true");
            replays.incrementAndGet();
        }
        if (status == 422) {
            assertThat(sentKey).as("422 only for a reused Idempotency-Key").isPresent();
        }
    }

    @Test
    void readingAnyOrderNeverFailsOnTheServerSide() {
        Fuzz.check("GET /orders/{id}", 600, orderIds(), this::read);
    }

    private void read(String id) {
        var result = api.get().uri("/orders/{id}", id).exchange();
        checkResponse(result, List.of(id));
        if (accepted.contains(id)) {
            assertThat(result).hasStatusOk();
        }
    }

    @Test
    void listingWithAnyParametersNeverFailsOnTheServerSide() {
        var values = queryValues();
        Fuzz.check("GET /orders", 600, values.list(3, 3), v -> list(v.get(0), v.get(1), v.get(2)));
    }

    private void list(String status, String page, String size) {
        var request = api.get().uri("/orders");
        var sent = new ArrayList<String>();
        for (var parameter : List.of(Map.entry("status", status), Map.entry("page", page), Map.entry("size", size))) {
            if (!parameter.getValue().equals("ABSENT")) {
                request = request.param(parameter.getKey(), parameter.getValue());
                sent.add(parameter.getValue());
            }
        }
        checkResponse(request.exchange(), sent);
    }

    @Test
    void cancellingAnyOrderNeverFailsOnTheServerSide() {
        Fuzz.check("POST /orders/{id}/cancel", 600, orderIds(), this::cancel);
    }

    private void cancel(String id) {
        var result = api.post().uri("/orders/{id}/cancel", id).exchange();
        checkResponse(result, List.of(id));
        if (accepted.contains(id)) {
            assertThat(result.getResponse().getStatus())
                    .as("a known order is cancelled, or refused as already shipped")
                    .isIn(200, 202, 409);
        }
    }

    // ---- the checks every response must pass ------------------------------------------------------------------

    /**
     * An accepted order says what the client sent: a body whose meaning is ambiguous (a key twice) is never accepted,
     * the fulfillment was sent by name, and every quantity and price is stored at the value sent (1.5 never becomes 1).
     */
    private static void acceptedAsSent(Body body, JsonNode order) {
        JsonNode sent;
        try {
            sent = STRICT.readTree(body.bytes());
        } catch (JacksonException e) {
            throw new AssertionError("accepted a body a strict reader refuses: " + e.getOriginalMessage(), e);
        }
        assertThat(sent.path("fulfillment").isString())
                .as("fulfillment sent by name: %s", sent.path("fulfillment"))
                .isTrue();
        var lines = sent.path("lines");
        for (int i = 0; i < lines.size(); i++) {
            var stored = order.path("lines").get(i);
            for (var field : List.of("quantity", "unitPrice")) {
                var value = lines.get(i).path(field);
                var asSent = value.isNumber()
                        ? value.decimalValue()
                        : new BigDecimal(value.asString().strip());
                assertThat(stored.path(field).decimalValue())
                        .as("lines[%d].%s stored as sent (%s)", i, field, value)
                        .isEqualByComparingTo(asSent);
            }
        }
    }

    private static void checkResponse(MvcTestResult result, List<String> sentStrings) {
        cases.incrementAndGet();
        assertThat(result.getUnresolvedException())
                .as("an exception escaped the MVC layer")
                .isNull();
        var response = result.getResponse();
        int status = response.getStatus();
        assertThat(status).as("never a server error").isLessThan(500);
        if (status >= 400) {
            assertThat(response.getContentType()).as("errors are problem+json").isNotNull();
            assertThat(MediaType.parseMediaType(response.getContentType())
                            .isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .isTrue();
            var problem = json(result);
            assertThat(problem.path("status").asInt()).isEqualTo(status);
            assertThat(problem.path("title").asString()).isNotBlank();
            var detail = problem.path("detail").asString("");
            assertThat(detail)
                    .as("a detail is short")
                    .hasSizeLessThanOrEqualTo(1000)
                    .doesNotContain("Exception");
            assertThat(detail.chars())
                    .as("a detail carries no control characters")
                    .noneMatch(Character::isISOControl);
            for (var sent : sentStrings) {
                if (sent.length() > 40) {
                    assertThat(detail)
                            .as("a detail quotes at most a short prefix of the input")
                            .doesNotContain(sent.substring(0, 41));
                }
            }
        } else {
            assertThat(MediaType.parseMediaType(response.getContentType()).isCompatibleWith(MediaType.APPLICATION_JSON))
                    .isTrue();
        }
    }

    private static JsonNode json(MvcTestResult result) {
        try {
            return JSON.readTree(result.getResponse().getContentAsByteArray());
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "the response is not JSON: "
                            + new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8),
                    e);
        }
    }

    // ---- generators -------------------------------------------------------------------------------------------

    /** A request body as bytes, with the strings it carries (to check what a detail may quote). */
    record Body(byte[] bytes, List<String> strings) {
        @Override
        public String toString() {
            var text = new String(bytes, StandardCharsets.UTF_8);
            return text.length() > 300 ? text.substring(0, 300) + "… (" + bytes.length + " bytes)" : text;
        }

        Body withStrings(List<String> carried) {
            return new Body(bytes, carried);
        }
    }

    private static Gen<Body> bodies() {
        return Gen.frequency(
                Gen.weight(35, validOrders().map(OrderApiFuzzIT::body)),
                Gen.weight(40, mangledOrders().map(OrderApiFuzzIT::body)),
                Gen.weight(6, mangledOrders().flatMap(o -> Gen.ints(0, 200).map(cut -> truncated(body(o), cut)))),
                Gen.weight(5, anyValue(3).map(OrderApiFuzzIT::body)),
                Gen.weight(3, validOrders().map(o -> duplicatedKey(body(o)))),
                Gen.weight(3, Gen.ints(100, 5000).map(depth -> raw("[".repeat(depth) + "]".repeat(depth)))),
                Gen.weight(
                        3,
                        Gen.ints(100, 5000)
                                .map(depth -> raw(
                                        "{\"customerId\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}"))),
                Gen.weight(3, Gen.ints(OVER_LIMIT, 3 * OVER_LIMIT).map(size -> oversized(size))),
                Gen.weight(3, Gen.bytes(0, 200).map(b -> new Body(b, List.of()))),
                Gen.weight(
                        2,
                        Gen.of("", " ", "null", "{}", "[]", "\"order\"", "{\"lines\":null}", "{\"lines\":[null]}")
                                .map(OrderApiFuzzIT::raw)));
    }

    private static Gen<Optional<String>> idempotencyKeys() {
        return Gen.frequency(
                Gen.weight(50, Gen.just(Optional.<String>empty())),
                Gen.weight(20, Gen.from(() -> Optional.of(UUID.randomUUID().toString()))),
                Gen.weight(10, Gen.just(Optional.of("REPLAY"))),
                Gen.weight(8, Gen.ints(1, 5).map(i -> Optional.of("fuzz-" + RUN + "-" + i))),
                Gen.weight(12, text().map(Optional::of)));
    }

    private static Gen<String> orderIds() {
        return Gen.frequency(
                Gen.weight(
                        30,
                        random -> accepted.isEmpty()
                                ? UUID.randomUUID().toString()
                                : accepted.stream()
                                        .skip(random.nextInt(accepted.size()))
                                        .findFirst()
                                        .orElseGet(() -> UUID.randomUUID().toString())),
                Gen.weight(20, Gen.from(() -> UUID.randomUUID().toString())),
                Gen.weight(
                        10,
                        Gen.of(
                                "1-1-1-1-1",
                                "00000000-0000-0000-0000-000000000000",
                                "ffffffff-ffff-ffff-ffff-ffffffffffff",
                                "..",
                                ".",
                                "%",
                                "%00",
                                "null",
                                "-1",
                                "99999999999999999999")),
                Gen.weight(40, text().filter(s -> !s.isEmpty())));
    }

    private static Gen<String> queryValues() {
        return Gen.frequency(
                Gen.weight(25, Gen.just("ABSENT")),
                Gen.weight(20, Gen.of("PLACED", "SHIPPED", "DELIVERED", "CANCELLED", "placed", "")),
                Gen.weight(25, numberText()),
                Gen.weight(30, text()));
    }

    /** Orders the API must accept (some still fail a cross-field rule, such as a total over 10⁹). */
    private static Gen<Map<String, Object>> validOrders() {
        var skuStem = Gen.chars().range('A', 'Z').numeric().with('-', 'é').strings(1, 62);
        var skuTail = Gen.of("", "", "", "😀");
        // Mostly ordinary amounts; now and then the extremes, whose product can overflow the stored total.
        var quantity = Gen.frequency(Gen.weight(9, Gen.ints(1, 10)), Gen.weight(1, Gen.ints(1, 10_000)));
        var price = Gen.frequency(
                Gen.weight(9, Gen.decimals(new BigDecimal("0.01"), new BigDecimal("2000"), 2)),
                Gen.weight(1, Gen.decimals(new BigDecimal("0.01"), new BigDecimal("9999999999.99"), 2)));
        Gen<Object> line = random -> ordered(
                "sku",
                skuStem.next(random) + skuTail.next(random),
                "quantity",
                quantity.next(random),
                "unitPrice",
                new Num(price.next(random).toPlainString()));
        var customers = Gen.chars()
                .alpha()
                .numeric()
                .with('-', '_', ' ', 'ß', '中')
                .strings(1, 64)
                .filter(s -> !s.isBlank());
        var sessions = Gen.chars().alpha().numeric().strings(0, 128).orNull(0.3);
        var fulfillments = Gen.of("SHIP", "DIGITAL");
        var countries = Gen.of("DE", "FR", "US", "JP", "BR");
        var currencies = Gen.of("EUR", "USD", "JPY").orNull(0.3);
        var lines = line.list(1, 5);
        return random -> {
            var order = ordered(
                    "customerId",
                    customers.next(random),
                    "fulfillment",
                    fulfillments.next(random),
                    "country",
                    countries.next(random),
                    "lines",
                    lines.next(random));
            var session = sessions.next(random);
            if (session != null) {
                order.put("sessionId", session);
            }
            var currency = currencies.next(random);
            if (currency != null) {
                order.put("currency", currency);
            }
            return order;
        };
    }

    /** Valid orders with one to three fields replaced by hostile values, removed, or added. */
    private static Gen<Map<String, Object>> mangledOrders() {
        var fields = Gen.of(
                "customerId",
                "sessionId",
                "fulfillment",
                "country",
                "currency",
                "lines",
                "lines[0].sku",
                "lines[0].quantity",
                "lines[0].unitPrice",
                "unknownField");
        var values = Gen.frequency(
                Gen.weight(30, text().map(s -> (Object) s)),
                Gen.weight(30, numberText().map(n -> (Object) new Num(n))),
                Gen.weight(15, anyValue(2)),
                Gen.weight(10, Gen.just((Object) Absent.ABSENT)),
                Gen.weight(
                        5,
                        Gen.ints(PlaceOrder.MAX_LINES + 1, PlaceOrder.MAX_LINES + 3)
                                .map(n -> (Object) manyLines(n))));
        Gen<Map.Entry<String, Object>> mutation = random -> Map.entry(fields.next(random), values.next(random));
        var orders = validOrders();
        var mutations = mutation.list(1, 3);
        return random -> {
            var order = orders.next(random);
            for (var m : mutations.next(random)) {
                apply(order, m.getKey(), m.getValue());
            }
            return order;
        };
    }

    @SuppressWarnings("unchecked")
    private static void apply(Map<String, Object> order, String field, Object value) {
        Map<String, Object> target = order;
        var name = field;
        if (field.startsWith("lines[0].")) {
            if (!(order.get("lines") instanceof List<?> lines)
                    || lines.isEmpty()
                    || !(lines.getFirst() instanceof Map<?, ?>)) {
                return;
            }
            target = (Map<String, Object>) lines.getFirst();
            name = field.substring("lines[0].".length());
        }
        if (value == Absent.ABSENT) {
            target.remove(name);
        } else {
            target.put(name, value);
        }
    }

    private static List<Object> manyLines(int n) {
        var lines = new ArrayList<Object>();
        for (int i = 0; i < n; i++) {
            lines.add(ordered("sku", "S" + i, "quantity", 1, "unitPrice", new Num("1.00")));
        }
        return lines;
    }

    /** Text of every kind a client can send: plain, control characters, lone surrogates, emoji, long, blank. */
    private static Gen<String> text() {
        return Gen.frequency(
                Gen.weight(15, Gen.chars().alpha().numeric().strings(0, 20)),
                Gen.weight(20, Gen.chars().all().strings(0, 30)),
                Gen.weight(
                        15,
                        Gen.chars()
                                .range('\u0000', '\u001f')
                                .with('\u007f', '\u0085', '\u009b', 'a')
                                .strings(1, 10)),
                Gen.weight(10, Gen.chars().range('\ud800', '\udfff').with('x').strings(1, 5)),
                Gen.weight(
                        10,
                        Gen.of("😀", "𝄞", "\u200b", "\ufeff", "\uffff", "e")
                                .list(1, 10)
                                .map(parts -> String.join("", parts))),
                Gen.weight(15, Gen.chars().alpha().strings(41, 5000)),
                Gen.weight(
                        5,
                        Gen.of(
                                "",
                                " ",
                                "\t",
                                "null",
                                "true",
                                "0",
                                "DE\u0000",
                                "EUR\u0000",
                                "SHIP\u0000",
                                "' OR 1=1 --",
                                "${jndi:ldap://x}",
                                "<script>",
                                "../../etc/passwd")));
    }

    /** Numbers as JSON text: small, huge, negative, fractional, extreme exponents, special forms. */
    private static Gen<String> numberText() {
        return Gen.frequency(
                Gen.weight(15, Gen.ints(-10, 10_001).map(String::valueOf)),
                Gen.weight(
                        15,
                        Gen.bigIntegers(BigInteger.TEN.pow(9).negate(), BigInteger.TEN.pow(40))
                                .map(BigInteger::toString)),
                Gen.weight(10, Gen.longs().map(String::valueOf)),
                Gen.weight(
                        10,
                        Gen.decimals(new BigDecimal("-1e20"), new BigDecimal("1e20"), 6)
                                .map(d -> d.toPlainString())),
                Gen.weight(
                        15,
                        Gen.of(
                                "1e308",
                                "1e309",
                                "-1e309",
                                "1e-400",
                                "1E+999999999",
                                "9e-999999999",
                                "0.000",
                                "-0",
                                "2147483648",
                                "-2147483649",
                                "9223372036854775808",
                                "999999999999.995",
                                "1.5",
                                "0.001",
                                "1e2",
                                "1E-2",
                                "99999999999999999999999999999999999999999999999999")),
                Gen.weight(5, Gen.ints(1001, 1500).map(n -> "9".repeat(n))));
    }

    /** Any JSON value, nested up to the given depth. */
    private static Gen<Object> anyValue(int depth) {
        var leaf = Gen.<Object>frequency(
                Gen.weight(30, text()),
                Gen.weight(30, numberText().map(Num::new)),
                Gen.weight(10, Gen.booleans()),
                Gen.weight(10, Gen.just(Null.NULL)));
        if (depth <= 0) {
            return leaf;
        }
        var child = anyValue(depth - 1);
        var names = text();
        var sizes = Gen.ints(0, 4);
        Gen<Object> objects = random -> {
            var map = new LinkedHashMap<String, Object>();
            for (int i = sizes.next(random); i > 0; i--) {
                map.put(names.next(random), child.next(random));
            }
            return map;
        };
        return Gen.frequency(Gen.weight(60, leaf), Gen.weight(20, child.list(0, 4)), Gen.weight(20, objects));
    }

    // ---- a JSON writer that can write what a careful one would refuse: lone surrogates, raw numbers -------------

    private enum Absent {
        ABSENT
    }

    private enum Null {
        NULL
    }

    /** A number exactly as written on the wire. */
    private record Num(String text) {}

    private static Map<String, Object> ordered(Object... keyValues) {
        var map = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static Body body(Object value) {
        var strings = new ArrayList<String>();
        var out = new StringBuilder();
        write(value, out, strings);
        return new Body(out.toString().getBytes(StandardCharsets.UTF_8), strings);
    }

    private static Body raw(String text) {
        return new Body(text.getBytes(StandardCharsets.UTF_8), List.of(text));
    }

    /** The body with a second customerId in front of the first: which one counts depends on the reader. */
    private static Body duplicatedKey(Body body) {
        var text = new String(body.bytes(), StandardCharsets.UTF_8);
        return new Body(
                ("{\"customerId\":\"c-first\"," + text.substring(1)).getBytes(StandardCharsets.UTF_8), body.strings());
    }

    private static Body truncated(Body body, int cut) {
        var bytes = body.bytes();
        return new Body(Arrays.copyOf(bytes, Math.min(cut, bytes.length)), body.strings());
    }

    private static Body oversized(int size) {
        var sku = "X".repeat(size);
        return body(ordered(
                        "customerId",
                        "c-big",
                        "fulfillment",
                        "SHIP",
                        "country",
                        "DE",
                        "lines",
                        List.of(ordered("sku", sku, "quantity", 1, "unitPrice", new Num("1")))))
                .withStrings(List.of(sku));
    }

    private static void write(Object value, StringBuilder out, List<String> strings) {
        switch (value) {
            case null -> out.append("null");
            case Null n -> out.append("null");
            case Num n -> {
                out.append(n.text());
                strings.add(n.text());
            }
            case Boolean b -> out.append(b);
            case Integer i -> out.append(i);
            case String s -> {
                strings.add(s);
                out.append('"');
                for (char c : s.toCharArray()) {
                    if (c == '"' || c == '\\') {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
                out.append('"');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out, strings);
                }
                out.append(']');
            }
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (var e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(String.valueOf(e.getKey()), out, strings);
                    out.append(':');
                    write(e.getValue(), out, strings);
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass());
        }
    }
}
