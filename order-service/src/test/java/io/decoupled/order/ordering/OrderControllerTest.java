package io.decoupled.order.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import io.decoupled.order.web.WebSlice;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The HTTP contract of /orders without a database: every refusal of {@link OrderController} and the web package's
 * ProblemDetailsAdvice and RequestBodyLimit is an RFC 9457 problem+json with the status and the detail a client acts on.
 * OrderApiIT checks the same answers end to end; this slice fails in seconds when a mapping breaks.
 */
@WebMvcTest(OrderController.class)
@Import(WebSlice.class)
class OrderControllerTest {
    private static final String VALID = """
            {"customerId":"c-1","fulfillment":"SHIP","country":"DE","lines":[{"sku":"BOOK-1","quantity":2,"unitPrice":10.50}]}""";
    /** A request header that makes {@link Chunked} hide the body's length, as a chunked request does. */
    private static final String HIDE_LENGTH = "X-Test-Hide-Length";

    private static final OrderId ID = OrderId.of("7f9c2ba4-e88f-4c4b-a1d6-1a0b9b0c1e2d");

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OrderService service;

    @Test
    void aValidOrderIs201WithItsLocation() {
        given(service.place(any(), any())).willAnswer(i -> new OrderService.Placement(view(i.getArgument(0)), false));
        var result = post(VALID);
        assertThat(result).hasStatus(HttpStatus.CREATED).hasHeader(OrderController.REPLAYED, "false");
        assertThat(result.getResponse().getHeader("Location")).matches("http://localhost/orders/[0-9a-f-]{36}");
    }

    @Test
    void anInvalidBodyIsA400ProblemNamingEachField() {
        var result = post(VALID.replace("\"c-1\"", "\" \"").replace("\"quantity\":2", "\"quantity\":0"));
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.errors[*].field")
                .asArray()
                .containsExactlyInAnyOrder("customerId", "lines[0].quantity");
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Invalid request");
        assertThat(result)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("customerId")
                .contains("lines[0].quantity");
        verifyNoInteractions(service);
    }

    @Test
    void aTotalTooLargeToStoreIsA400ProblemNamingTotal() {
        var result = post(
                VALID.replace("\"quantity\":2,\"unitPrice\":10.50", "\"quantity\":10000,\"unitPrice\":9999999999.99"));
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("total");
        verifyNoInteractions(service);
    }

    @Test
    void aTotalPastWhatSnsFiltersCompareIsA400ProblemNamingTotalAndTheLimitItselfIsAccepted() {
        // 2 × 500,000,000.01 = 1,000,000,000.02: storable, but past 10⁹ the review filter (total >= 1000) never
        // matches.
        var result = post(VALID.replace("\"unitPrice\":10.50", "\"unitPrice\":500000000.01"));
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("total");
        verifyNoInteractions(service);

        given(service.place(any(), any())).willAnswer(i -> new OrderService.Placement(view(i.getArgument(0)), false));
        assertThat(post(VALID.replace("\"unitPrice\":10.50", "\"unitPrice\":500000000.00")))
                .hasStatus(HttpStatus.CREATED);
    }

    @Test
    void aBulkOrderOfTheMostLinesIsAcceptedThoughItsBodyIsFarPastTheOldLimit() {
        given(service.place(any(), any())).willAnswer(i -> new OrderService.Placement(view(i.getArgument(0)), false));
        var body = bulkOrder(PlaceOrder.MAX_LINES);
        // Past 256 KiB as an event (docs/large-payloads.md), within the API's 1 MB.
        assertThat(body.length()).isBetween(256 * 1024, 1024 * 1024);

        assertThat(post(body)).hasStatus(HttpStatus.CREATED);
    }

    @Test
    void oneLineMoreThanABulkOrderMayHaveIsA400ProblemNamingLines() {
        var result = post(bulkOrder(PlaceOrder.MAX_LINES + 1));
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.errors[*].field")
                .asArray()
                .containsExactly("lines");
        verifyNoInteractions(service);
    }

    @Test
    void malformedJsonIsA400ProblemSayingWhere() {
        var result = post("{\"customerId\":\"c-1\",");
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.title")
                .isEqualTo("Unreadable request body");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().startsWith("Malformed JSON at line 1");
    }

    @Test
    void aBodyThatIsNotWellFormedUtf8IsA400EvenWhereJacksonWouldDecodeIt() {
        given(service.place(any(), any())).willAnswer(i -> new OrderService.Placement(view(i.getArgument(0)), false));
        // C1 81 is an overlong "A" (E0 81 81 one of three bytes): Jackson read "ov\xC1\x81" as "ovA" and placed
        // the order. (An overlong "/" would be refused anyway: a customer id has no "/".)
        var prefix = "{\"customerId\":\"ov".getBytes(StandardCharsets.UTF_8);
        var suffix = VALID.substring(VALID.indexOf("c-1") + 3).getBytes(StandardCharsets.UTF_8);
        for (var bad :
                List.of(new byte[] {(byte) 0xC1, (byte) 0x81}, new byte[] {(byte) 0xE0, (byte) 0x81, (byte) 0x81})) {
            var body = new byte[prefix.length + bad.length + suffix.length];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
            assertThat(mvc.post()
                            .uri("/orders")
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(body))
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        verifyNoInteractions(service);
    }

    @Test
    void aMissingBodyIsA400ProblemSayingSo() {
        var result = mvc.post()
                .uri("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .exchange();
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("missing");
    }

    @Test
    void aWrongTypeIsA400ProblemNamingTheFieldAndQuotingTheValue() {
        assertThat(post(VALID.replace("\"quantity\":2", "\"quantity\":\"two\"")))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("lines[0].quantity: 'two' is not a valid Integer.");
        assertThat(post(VALID.replace("SHIP", "BOAT")))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("fulfillment: 'BOAT' is not one of [SHIP, DIGITAL].");
        assertThat(post(VALID.replace("\"quantity\":2", "\"quantity\":99999999999")))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("lines[0].quantity is out of range.");
        verifyNoInteractions(service);
    }

    @Test
    void aLongWrongValueIsQuotedOnlyByAShortEscapedPrefix() {
        var value = "SH\u001bIP" + "x".repeat(5000);
        var result = post(VALID.replace("\"SHIP\"", "\"SH\\u001bIP" + "x".repeat(5000) + "\""));
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .startsWith("fulfillment: 'SH\\u001bIP" + "x".repeat(35) + "…' (" + value.length() + " characters)")
                .doesNotContain("x".repeat(36))
                .doesNotContain("\u001b");
    }

    @Test
    void anUnknownOrderIsA404Problem() {
        given(service.view(ID)).willThrow(new OrderNotFoundException(ID));
        assertThat(mvc.get().uri("/orders/{id}", ID))
                .hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains(ID.toString());
        given(service.cancel(ID)).willThrow(new OrderNotFoundException(ID));
        assertThat(mvc.post().uri("/orders/{id}/cancel", ID))
                .hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aMalformedOrderIdIsA400ProblemNamingIt() {
        assertThat(mvc.get().uri("/orders/not-a-uuid"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("'not-a-uuid' is not a valid id.");
        // UUID.fromString would read this as 00000001-0001-0001-0001-000000000001: another name for one order.
        assertThat(mvc.get().uri("/orders/1-1-1-1-1"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("'1-1-1-1-1' is not a valid id.");
        assertThat(mvc.post().uri("/orders/1-1-1-1-1/cancel")).hasStatus(HttpStatus.BAD_REQUEST);
        verifyNoInteractions(service);
    }

    @Test
    void aRequestThatAcceptsNoJsonIsA406ProblemBeforeAnyOrderIsPlacedOrCancelled() {
        for (var accept : List.of("application/xml", "text/html", "image/png")) {
            var placing = mvc.post()
                    .uri("/orders")
                    .header(HttpHeaders.ACCEPT, accept)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(VALID)
                    .exchange();
            assertThat(placing).as(accept).hasStatus(HttpStatus.NOT_ACCEPTABLE);
            assertThat(placing.getResponse().getHeader("Location")).as(accept).isNull();
            var cancelling = mvc.post()
                    .uri("/orders/{id}/cancel", ID)
                    .header(HttpHeaders.ACCEPT, accept)
                    .exchange();
            assertThat(cancelling).as(accept).hasStatus(HttpStatus.NOT_ACCEPTABLE);
        }
        verifyNoInteractions(service);
    }

    @Test
    void anAcceptHeaderThatIncludesJsonStillPlacesTheOrder() {
        given(service.place(any(), any())).willAnswer(i -> new OrderService.Placement(view(i.getArgument(0)), false));
        for (var accept : List.of("*/*", "application/*", "application/json", "text/html, application/json;q=0.1")) {
            assertThat(mvc.post()
                            .uri("/orders")
                            .header(HttpHeaders.ACCEPT, accept)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(VALID))
                    .as(accept)
                    .hasStatus(HttpStatus.CREATED);
        }
    }

    @Test
    void cancellingAShippedOrderIsA409ProblemWithTheOrderStatus() {
        given(service.cancel(ID)).willThrow(new OrderNotCancellableException(ID, OrderStatus.SHIPPED));
        var result = mvc.post().uri("/orders/{id}/cancel", ID).exchange();
        assertThat(result)
                .hasStatus(HttpStatus.CONFLICT)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.orderStatus")
                .isEqualTo("SHIPPED");
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(409);
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyIsA422ProblemNamingTheFirstOrder() {
        given(service.place(any(), any())).willThrow(new IdempotencyKeyReusedException("key-1", ID));
        var result = mvc.post()
                .uri("/orders")
                .header(OrderController.IDEMPOTENCY_KEY, "key-1")
                .contentType(MediaType.APPLICATION_JSON)
                .content(VALID)
                .exchange();
        assertThat(result)
                .hasStatus(HttpStatus.UNPROCESSABLE_CONTENT)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.orderId")
                .isEqualTo(ID.toString());
        assertThat(result)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("key-1")
                .contains("different request");
    }

    @Test
    void aMalformedIdempotencyKeyIsA400ProblemNamingTheHeader() {
        for (var key : List.of("has space", "k".repeat(256), "")) {
            var result = mvc.post()
                    .uri("/orders")
                    .header(OrderController.IDEMPOTENCY_KEY, key)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(VALID)
                    .exchange();
            assertThat(result)
                    .as("key %s", key)
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.errors[0].parameter")
                    .isEqualTo(OrderController.IDEMPOTENCY_KEY);
        }
        verifyNoInteractions(service);
    }

    @Test
    void anUnknownStatusFilterIsA400ProblemListingTheValidOnes() {
        assertThat(mvc.get().uri("/orders?status=LOST"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo(
                        "'LOST' is not a valid status; expected one of [PLACED, CANCELLING, SHIPPED, DELIVERED, CANCELLED].");
        verifyNoInteractions(service);
    }

    @Test
    void pageAndSizeOutOfRangeAreA400ProblemNamingTheParameter() {
        for (var query : Map.of("page=-1", "page", "page=100001", "page", "size=0", "size", "size=1001", "size")
                .entrySet()) {
            assertThat(mvc.get().uri("/orders?" + query.getKey()))
                    .as(query.getKey())
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.errors[0].parameter")
                    .isEqualTo(query.getValue());
        }
        assertThat(mvc.get().uri("/orders?size=ten"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("'ten' is not a valid size.");
        verifyNoInteractions(service);
    }

    @Test
    void validPagingReachesTheService() {
        given(service.page(Optional.of(OrderStatus.PLACED), 2, 50)).willReturn(new OrderPage(List.of(), 2, 50, false));
        assertThat(mvc.get().uri("/orders?status=PLACED&page=2&size=50"))
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .extractingPath("$.size")
                .isEqualTo(50);
    }

    @Test
    void aBodyDeclaredOverTheLimitIsA413ProblemAndNeverParsed() {
        var result = post(oversized());
        assertThat(result)
                .hasStatus(HttpStatus.CONTENT_TOO_LARGE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("The request body is larger than 1048576 bytes.");
        verifyNoInteractions(service);
    }

    @Test
    void aBodyWithoutALengthIsCutOffAtTheLimitAndAnswered413() {
        var result = mvc.post()
                .uri("/orders")
                .header(HIDE_LENGTH, "true")
                .contentType(MediaType.APPLICATION_JSON)
                .content(oversized())
                .exchange();
        assertThat(result)
                .hasStatus(HttpStatus.CONTENT_TOO_LARGE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.title")
                .isEqualTo("Request body too large");
        verifyNoInteractions(service);
    }

    @Test
    void anUnexpectedFailureIsA500ProblemWithoutInternals() {
        given(service.view(ID))
                .willThrow(new IllegalStateException("secret internals at io.decoupled.order.Something"));
        var result = mvc.get().uri("/orders/{id}", ID).exchange();
        assertThat(result)
                .hasStatus(HttpStatus.INTERNAL_SERVER_ERROR)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("The request failed unexpectedly; it has been logged.");
        assertThat(result)
                .bodyText()
                .doesNotContain("secret")
                .doesNotContain("Exception")
                .doesNotContain("io.decoupled");
    }

    @Test
    void anUnavailableDatabaseIsA503ProblemWithRetryAfter() {
        given(service.place(any(), any()))
                .willThrow(new CannotCreateTransactionException("Could not open JDBC Connection"));
        given(service.page(any(), anyInt(), anyInt())).willThrow(new QueryTimeoutException("statement timeout"));
        for (var result : List.of(post(VALID), mvc.get().uri("/orders").exchange())) {
            assertThat(result)
                    .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .hasHeader("Retry-After", "5")
                    .bodyJson()
                    .extractingPath("$.detail")
                    .isEqualTo("The order store is unavailable; retry later.");
        }
    }

    @Test
    void aConnectionLostDuringCommitOrRollbackIsA503ProblemToo() {
        // The database went away between the insert and the rollback (OrderDatabaseMinuteOutageIT met it once).
        given(service.place(any(), any())).willThrow(new TransactionSystemException("JDBC rollback failed"));
        assertThat(post(VALID))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .hasHeader("Retry-After", "5");
    }

    @Test
    void aValueTheDatabaseRefusesIsA400ProblemWithoutTheDatabasesMessage() {
        given(service.place(any(), any()))
                .willThrow(new DataIntegrityViolationException(
                        "insert failed",
                        new SQLException(
                                "ERROR: value too long for type character varying(64): secret-row-content", "22001")));
        var result = post(VALID);
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.title")
                .isEqualTo("Value cannot be stored");
        assertThat(result).bodyText().doesNotContain("secret-row-content");
    }

    @Test
    void aFractionOrAnExponentForAQuantityIsA400ProblemNamingItNotACutQuantity() {
        for (var quantity : List.of("1.5", "2.0", "1e2")) {
            assertThat(post(VALID.replace("\"quantity\":2", "\"quantity\":" + quantity)))
                    .as(quantity)
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.detail")
                    .asString()
                    .contains("lines[0].quantity");
        }
        verifyNoInteractions(service);
    }

    @Test
    void aFulfillmentByItsPositionIsA400ProblemNamingItNotTheEnumConstantAtThatPlace() {
        assertThat(post(VALID.replace("\"SHIP\"", "0")))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("fulfillment")
                .contains("SHIP, DIGITAL");
        verifyNoInteractions(service);
    }

    @Test
    void aKeySentTwiceIsA400ProblemNamingItNotItsLastValue() {
        assertThat(post(VALID.replace("{\"customerId\":\"c-1\",", "{\"customerId\":\"c-1\",\"customerId\":\"c-2\",")))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("'customerId' appears more than once; send each field once.");
        verifyNoInteractions(service);
    }

    @Test
    void aNonJsonBodyIsA415Problem() {
        assertThat(mvc.post().uri("/orders").contentType(MediaType.TEXT_PLAIN).content(VALID))
                .hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aWrongMethodIsA405Problem() {
        assertThat(mvc.delete().uri("/orders/{id}", ID))
                .hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private MvcTestResult post(String body) {
        return mvc.post()
                .uri("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .exchange();
    }

    /** A valid order padded with whitespace past the 1 MB default of order.web.max-request-body. */
    private static String oversized() {
        return VALID.substring(0, VALID.length() - 1) + " ".repeat(1024 * 1024) + "}";
    }

    /** A bulk order of {@code n} lines with 64-character SKUs: about 120 bytes of JSON per line. */
    static String bulkOrder(int n) {
        var lines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            lines.append(i == 0 ? "" : ",")
                    .append("{\"sku\":\"")
                    .append("%064d".formatted(i))
                    .append("\",\"quantity\":1,\"unitPrice\":1.25}");
        }
        return "{\"customerId\":\"c-bulk\",\"fulfillment\":\"SHIP\",\"country\":\"DE\",\"lines\":[" + lines + "]}";
    }

    private static OrderView view(PlaceOrder request) {
        var order = Order.place(request.withDefaultCurrency("EUR"), Instant.parse("2026-11-27T12:00:00Z"));
        return OrderView.of(order, List.of());
    }

    /**
     * MockMvc always knows a body's length; a chunked request does not declare one. This filter, first in the chain,
     * hides the length of requests that ask for it, so the body limit's counting path is what answers.
     */
    @TestConfiguration
    static class Chunked {
        @Bean
        FilterRegistrationBean<Filter> hideContentLength() {
            Filter filter = (request, response, chain) -> chain.doFilter(
                    ((HttpServletRequest) request).getHeader(HIDE_LENGTH) == null
                            ? request
                            : new HttpServletRequestWrapper((HttpServletRequest) request) {
                                @Override
                                public int getContentLength() {
                                    return -1;
                                }

                                @Override
                                public long getContentLengthLong() {
                                    return -1;
                                }

                                @Override
                                public String getHeader(String name) {
                                    return "Content-Length".equalsIgnoreCase(name) ? null : super.getHeader(name);
                                }
                            },
                    response);
            var registration = new FilterRegistrationBean<>(filter);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }
}
