package io.decoupled.order.ordering;

import static io.decoupled.topology.Topology.ANALYTICS_ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.decoupled.order.OrderServiceITSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The REST contract: placing and reading orders, Idempotency-Key retries and conflicts, and problem+json for bad input. */
class OrderApiIT extends OrderServiceITSupport {

    @Autowired
    JdbcClient jdbc;

    @Test
    void placingAnOrderReturnsItWithItsLocationAndTotal() {
        var result = post("/orders", """
                {"customerId":"c-1","fulfillment":"SHIP","country":"FR",
                 "lines":[{"sku":"A","quantity":2,"unitPrice":10.25},{"sku":"B","quantity":1,"unitPrice":5}]}""");

        assertThat(result).hasStatus(201).hasHeader("Idempotent-Replayed", "false");
        String id = JsonPath.read(body(result), "$.id");
        assertThat(result.getResponse().getHeader("Location")).endsWith("/orders/" + id);
        assertThat(result)
                .bodyJson()
                .extractingPath("$.total")
                .asNumber()
                .satisfies(t -> assertThat(t.doubleValue()).isEqualTo(25.5));
        assertThat(result).bodyJson().extractingPath("$.currency").isEqualTo("EUR");
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("PLACED");

        assertThat(mvc.get().uri("/orders/{id}", id))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.lines[1].sku")
                .isEqualTo("B");
        assertThat(mvc.get().uri("/orders/{id}", id))
                .bodyJson()
                .extractingPath("$.history[0].status")
                .isEqualTo("PLACED");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheOriginalOrderAndPublishesOneEvent() {
        var key = UUID.randomUUID().toString();
        var body = order("c-" + key, "SHIP", "42.00");

        var first = withKey(key, body);
        // The same request again, written differently: other whitespace, a trailing zero less.
        var retry = withKey(key, body.replace("42.00", "42.0").replace(",\"", ", \""));

        assertThat(first).hasStatus(201);
        assertThat(retry).hasStatus(201).hasHeader("Idempotent-Replayed", "true");
        String id = JsonPath.read(body(first), "$.id");
        assertThat((String) JsonPath.read(body(retry), "$.id")).isEqualTo(id);
        assertThat(jdbc.sql("select count(*) from orders where customer_id = ?")
                        .param("c-" + key)
                        .query(Long.class)
                        .single())
                .isOne();
        assertThat(jdbc.sql("select count(*) from outbox where aggregate_id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isOne();

        var analytics = probe(ANALYTICS_ORDERS, Set.of(id));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(analytics.drain()).hasSize(1));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> analytics.drain().size() == 1);
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyCreateOneOrder() throws Exception {
        var key = UUID.randomUUID().toString();
        var body = order("c-" + key, "DIGITAL", "9.99");
        var requests = new ArrayList<Callable<MvcTestResult>>();
        for (int i = 0; i < 8; i++) {
            requests.add(() -> withKey(key, body));
        }
        List<MvcTestResult> results;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            results = executor.invokeAll(requests).stream()
                    .map(f -> {
                        try {
                            return f.get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }

        assertThat(results).allSatisfy(r -> assertThat(r).hasStatus(201));
        assertThat(results)
                .extracting(r -> (String) JsonPath.read(body(r), "$.id"))
                .containsOnly((String) JsonPath.read(body(results.getFirst()), "$.id"));
        assertThat(jdbc.sql("select count(*) from orders where customer_id = ?")
                        .param("c-" + key)
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void theSameIdempotencyKeyWithADifferentBodyIsA422() {
        var key = UUID.randomUUID().toString();
        assertThat(withKey(key, order("c-" + key, "SHIP", "10.00"))).hasStatus(201);

        var conflict = withKey(key, order("c-" + key, "SHIP", "11.00"));

        assertThat(conflict).hasStatus(422).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(conflict)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains(key)
                .contains("different request");
        assertThat(jdbc.sql("select count(*) from orders where customer_id = ?")
                        .param("c-" + key)
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no lines              | {"customerId":"c","fulfillment":"SHIP","country":"DE","lines":[]}                                                   | lines
            zero quantity         | {"customerId":"c","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":0,"unitPrice":1}]}              | lines[0].quantity
            negative price        | {"customerId":"c","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":1,"unitPrice":-1}]}             | lines[0].unitPrice
            three decimals        | {"customerId":"c","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":1,"unitPrice":1.001}]}          | lines[0].unitPrice
            blank customer        | {"customerId":" ","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":1,"unitPrice":1}]}              | customerId
            unknown country       | {"customerId":"c","fulfillment":"SHIP","country":"XX","lines":[{"sku":"A","quantity":1,"unitPrice":1}]}              | country
            missing fulfillment   | {"customerId":"c","country":"DE","lines":[{"sku":"A","quantity":1,"unitPrice":1}]}                                  | fulfillment
            unknown fulfillment   | {"customerId":"c","fulfillment":"BOAT","country":"DE","lines":[{"sku":"A","quantity":1,"unitPrice":1}]}              | BOAT
            quantity not a number | {"customerId":"c","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":"two","unitPrice":1}]}          | lines[0].quantity
            malformed JSON        | {"customerId":"c",                                                                                                  | Malformed JSON
            lower-case currency   | {"customerId":"c","fulfillment":"SHIP","country":"DE","currency":"eur","lines":[{"sku":"A","quantity":1,"unitPrice":1}]} | currency
            NUL in customer       | {"customerId":"c\\u0000","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":1,"unitPrice":1}]}    | customerId
            control char in sku   | {"customerId":"c","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A\\u001b[2J","quantity":1,"unitPrice":1}]}  | lines[0].sku
            lone surrogate        | {"customerId":"c","sessionId":"s\\ud800","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":1,"unitPrice":1}]} | sessionId
            total over numeric    | {"customerId":"c","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":10000,"unitPrice":9999999999.99}]} | total
            quantity over int     | {"customerId":"c","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":99999999999,"unitPrice":1}]}    | lines[0].quantity
            huge exponent price   | {"customerId":"c","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":1,"unitPrice":1E+999999999}]}   | lines[0].unitPrice
            tiny exponent price   | {"customerId":"c","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":1,"unitPrice":9e-999999999},{"sku":"B","quantity":1,"unitPrice":0.01}]} | lines[0].unitPrice
            over-long session     | {"customerId":"c","sessionId":"sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss","fulfillment":"SHIP","country":"DE","lines":[{"sku":"A","quantity":1,"unitPrice":1}]} | sessionId
            """)
    void badInputIsAProblemWithAUsefulDetail(String name, String json, String detailMentions) {
        var result = post("/orders", json);

        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(detailMentions);
        assertThat(body(result)).doesNotContain("Exception").doesNotContain("io.decoupled");
    }

    @Test
    void aBodyOverTheLimitIsA413Problem() {
        var result = post("/orders", order("c-big", "SHIP", "1").replace("BOOK-1", "B".repeat(1_100_000)));
        assertThat(result).hasStatus(413).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("larger than");
    }

    @Test
    void aRejectedValueIsQuotedOnlyByAShortPrefix() {
        var longSku = "S".repeat(5000);
        var result = post("/orders", order("c-long", "SHIP", "1").replace("BOOK-1", longSku));
        assertThat(result).hasStatus(400);
        assertThat(result)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("lines[0].sku")
                .contains("5000 characters")
                .doesNotContain("S".repeat(41));
    }

    @Test
    void aMissingBodyIsAProblem() {
        var result = mvc.post()
                .uri("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .exchange();
        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("missing");
    }

    @Test
    void anOverlongIdempotencyKeyIsAProblem() {
        var result = withKey("k".repeat(300), order("c-long", "SHIP", "1.00"));
        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("Idempotency-Key");
    }

    @Test
    void anUnknownOrderIsA404Problem() {
        var id = UUID.randomUUID();
        var result = mvc.get().uri("/orders/{id}", id).exchange();
        assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(id.toString());
    }

    @Test
    void aMalformedOrderIdIsA400Problem() {
        var result = mvc.get().uri("/orders/not-a-uuid").exchange();
        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("not-a-uuid");
    }

    @Test
    void anUnknownStatusFilterIsA400ProblemListingTheValidOnes() {
        var result = mvc.get().uri("/orders?status=LOST").exchange();
        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("LOST")
                .contains("PLACED");
    }

    @Test
    void ordersArePagedNewestFirstAndFilteredByStatus() {
        var cancelled = placeOrder("c-" + UUID.randomUUID(), "DIGITAL", "3.00");
        assertThat(mvc.post().uri("/orders/{id}/cancel", cancelled)).hasStatusOk();
        var newest = placeOrder("c-" + UUID.randomUUID(), "DIGITAL", "4.00");

        assertThat(mvc.get().uri("/orders?page=0&size=1"))
                .hasStatusOk()
                .bodyJson()
                .satisfies(json -> {
                    assertThat(json).extractingPath("$.items[0].id").isEqualTo(newest);
                    assertThat(json).extractingPath("$.hasNext").isEqualTo(true);
                });
        assertThat(mvc.get().uri("/orders?status=CANCELLED&size=1000"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.items[*].status")
                .asArray()
                .containsOnly("CANCELLED");
        assertThat(mvc.get().uri("/orders?size=0")).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void theCountsAreExactPerStatusAndInTotal() {
        long placedBefore = count("PLACED");
        long totalBefore =
                ((Number) JsonPath.read(body(mvc.get().uri("/orders/counts").exchange()), "$.total")).longValue();
        placeOrder("c-" + UUID.randomUUID(), "SHIP", "1.00");
        placeOrder("c-" + UUID.randomUUID(), "SHIP", "2.00");

        assertThat(count("PLACED")).isEqualTo(placedBefore + 2);
        var counts = body(mvc.get().uri("/orders/counts").exchange());
        assertThat(((Number) JsonPath.read(counts, "$.total")).longValue()).isEqualTo(totalBefore + 2);
        assertThat(jdbc.sql("select count(*) from orders").query(Long.class).single())
                .isEqualTo(((Number) JsonPath.read(counts, "$.total")).longValue());
        assertThat((Map<String, Object>) JsonPath.read(counts, "$.byStatus"))
                .containsOnlyKeys("PLACED", "CANCELLING", "SHIPPED", "DELIVERED", "CANCELLED");
    }

    @Test
    void thePathOfAnUnknownOrderIsA404ProblemAndOfAMalformedIdA400() {
        assertThat(mvc.get().uri("/orders/{id}/path", UUID.randomUUID()))
                .hasStatus(404)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.get().uri("/orders/not-a-uuid/path"))
                .hasStatus(400)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("id");
    }

    private long count(String status) {
        return ((Number) JsonPath.read(body(mvc.get().uri("/orders/counts").exchange()), "$.byStatus." + status))
                .longValue();
    }

    @Test
    void cancellingAnUnknownOrderIsA404ProblemAndPublishesNothing() {
        var id = UUID.randomUUID();
        var result = mvc.post().uri("/orders/{id}/cancel", id).exchange();
        assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(id.toString());
        assertThat(jdbc.sql("select count(*) from outbox where aggregate_id = ?")
                        .param(id.toString())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aShippedOrderCannotBeCancelled() {
        var id = placeOrder("c-" + UUID.randomUUID(), "SHIP", "8.00");
        jdbc.sql("update orders set status = 'SHIPPED' where id = ?::uuid")
                .param(id)
                .update();

        var result = mvc.post().uri("/orders/{id}/cancel", id).exchange();

        assertThat(result).hasStatus(409).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("SHIPPED");
        assertThat(result).bodyJson().extractingPath("$.orderStatus").isEqualTo("SHIPPED");
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(409);
    }

    private MvcTestResult withKey(String key, String json) {
        return mvc.post()
                .uri("/orders")
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }
}
