package io.decoupled.clicks.click;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import io.decoupled.clicks.producer.BufferFullException;
import io.decoupled.clicks.producer.RecordDeliveryException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The HTTP contract of POST /clicks: what is accepted, and the problem+json for everything that is not. Without the
 * security filters: who may call is the security package's concern (ClickIngestApiSecurityTest; the chain itself in platform/web-security).
 */
@WebMvcTest(ClickController.class)
@AutoConfigureMockMvc(addFilters = false)
@Import(ClickConfiguration.class)
class ClickControllerTest {
    private static final String VALID = """
            {"sessionId":"s-1","userId":"u-1","page":"/products/42","referrer":"/home","timestamp":"2026-11-22T10:15:30Z"}""";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    ClickIngestion ingestion;

    @Test
    void aSingleClickObjectIsAcceptedAs202() {
        given(ingestion.ingest(anyList()))
                .willAnswer(i -> ingested(i.getArgument(0, List.class).size()));
        assertThat(post(VALID))
                .hasStatus(HttpStatus.ACCEPTED)
                .bodyJson()
                .extractingPath("$.accepted")
                .isEqualTo(1);
    }

    @Test
    void aBatchIsAcceptedAs202WithOneIdPerClick() {
        given(ingestion.ingest(anyList()))
                .willAnswer(i -> ingested(i.getArgument(0, List.class).size()));
        assertThat(post("[" + VALID + "," + VALID.replace("s-1", "s-2") + "]"))
                .hasStatus(HttpStatus.ACCEPTED)
                .bodyJson()
                .extractingPath("$.clickIds")
                .asArray()
                .hasSize(2);
    }

    @Test
    void aClickWithoutSessionIsAProblemNamingTheField() {
        var result = post("[" + VALID + "," + VALID.replace("\"sessionId\":\"s-1\",", "") + "]");
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("[1].sessionId");
        verifyNoInteractions(ingestion);
    }

    @Test
    void aClickIdSentByTheClientMustBeACanonicalUuidAndNothingOfTheBatchIsAcceptedOtherwise() {
        var withId = VALID.replace("{\"sessionId\"", "{\"clickId\":\"%s\",\"sessionId\"");
        for (var bad : List.of("1-1-1-1-1", "", "not-a-uuid", "0f8fad5b-d9cb-469f-a165-70867728950e0")) {
            var result = post("[" + VALID + "," + withId.formatted(bad) + "]");
            assertThat(result)
                    .as("clickId %s", bad)
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.errors[0].field")
                    .isEqualTo("[1].clickId");
        }
        verifyNoInteractions(ingestion);

        given(ingestion.ingest(anyList()))
                .willAnswer(i -> ingested(i.getArgument(0, List.class).size()));
        assertThat(post(withId.formatted("0F8FAD5B-D9CB-469F-A165-70867728950E")))
                .hasStatus(HttpStatus.ACCEPTED);
    }

    @Test
    void twoClicksOfOneRequestWithTheSameClickIdAreAProblemNamingTheSecond() {
        var withId = VALID.replace("{\"sessionId\"", "{\"clickId\":\"%s\",\"sessionId\"");
        var id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        var result = post(
                "[" + withId.formatted(id) + "," + VALID + "," + withId.formatted(id.toUpperCase(Locale.ROOT)) + "]");
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("[2].clickId");
        verifyNoInteractions(ingestion);
    }

    @Test
    void blankPageAndMissingTimestampAreBothReported() {
        var result = post(VALID.replace("/products/42", " ").replace(",\"timestamp\":\"2026-11-22T10:15:30Z\"", ""));
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors")
                .asArray()
                .hasSize(2);
    }

    @Test
    void aSessionIdThatCannotBeAPartitionKeyIsRejected() {
        assertThat(post(VALID.replace("s-1", "x".repeat(300))))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("sessionId");
        assertThat(post(VALID.replace("s-1", "a b"))).hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        var result = post("{\"sessionId\": ");
        assertPlainWords(result);
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .startsWith("The body is not valid JSON (at line 1, column ");
    }

    @Test
    void aTimestampThatIsNotAnInstantIsAProblemInPlainWordsNamingTheField() {
        var result = post("{\"sessionId\":\"s\",\"page\":\"/\",\"timestamp\":\"yesterday\"}");
        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("[0].timestamp");
        assertThat(result)
                .bodyJson()
                .extractingPath("$.errors[0].message")
                .isEqualTo("must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
        assertThat(result)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("[0].timestamp must be an ISO-8601 instant");
        assertPlainWords(result);
        verifyNoInteractions(ingestion);
    }

    /** Read as a batch of one, a bare number or string fails at [0] like an array's element; it is the body. */
    @Test
    void aBodyThatIsNeitherAnObjectNorAnArrayIsAProblemNamingTheBody() {
        for (var body : List.of("5", "\"x\"", "true")) {
            var result = post(body);
            assertThat(result)
                    .as(body)
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("body");
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.detail")
                    .isEqualTo("The body must be a click object or an array of clicks");
            assertPlainWords(result);
        }
        verifyNoInteractions(ingestion);
    }

    @Test
    void anElementOfABatchThatIsNotAnObjectIsAProblemNamingIt() {
        var nested = post("[[[]]]");
        assertThat(nested).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(nested).bodyJson().extractingPath("$.errors[0].field").isEqualTo("[0]");
        assertThat(nested).bodyJson().extractingPath("$.errors[0].message").isEqualTo("must be a click object");
        assertPlainWords(nested);
        var number = post("[" + VALID + ",5]");
        assertThat(number).bodyJson().extractingPath("$.errors[0].field").isEqualTo("[1]");
        assertPlainWords(number);
        var wrongType = post(VALID.replace("\"s-1\"", "{\"id\":[1]}"));
        assertThat(wrongType).bodyJson().extractingPath("$.errors[0].field").isEqualTo("[0].sessionId");
        assertThat(wrongType).bodyJson().extractingPath("$.errors[0].message").isEqualTo("must be a string");
        assertPlainWords(wrongType);
        verifyNoInteractions(ingestion);
    }

    @Test
    void truncatedJsonIsAProblemSayingWhereTheBodyStopsBeingJson() {
        var result = post("[\n" + VALID + ",\n{\"sessionId\": ");
        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("body");
        assertThat(result)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .matches("The body is not valid JSON \\(at line 3, column \\d+\\)");
        assertPlainWords(result);
        verifyNoInteractions(ingestion);
    }

    /**
     * A 406 is decided before the handler runs: a client that cannot read JSON gets nothing accepted, not its clicks
     * buffered and then a refusal it would send again. Errors stay problem+json for a client that accepts JSON.
     */
    @Test
    void aRequestThatCannotBeAnsweredAsJsonIsRefusedWith406BeforeAnyClickIsIngested() {
        given(ingestion.ingest(anyList()))
                .willAnswer(i -> ingested(i.getArgument(0, List.class).size()));
        for (var accept : List.of(MediaType.APPLICATION_XML, MediaType.TEXT_HTML)) {
            for (var uri : List.of("/clicks", "/clicks?await=true")) {
                assertThat(mvc.post()
                                .uri(uri)
                                .contentType(MediaType.APPLICATION_JSON)
                                .accept(accept)
                                .content(VALID))
                        .as("%s with Accept %s", uri, accept)
                        .hasStatus(HttpStatus.NOT_ACCEPTABLE);
            }
        }
        verifyNoInteractions(ingestion);
        assertThat(mvc.post()
                        .uri("/clicks")
                        .contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.APPLICATION_JSON)
                        .content("5"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aTimestampThatIsNotAnIso8601InstantIsAProblemNamingTheField() {
        assertThat(post(VALID.replace("2026-11-22T10:15:30Z", "2026-11-22T10:15:30")))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("[0].timestamp");
        verifyNoInteractions(ingestion);
    }

    /** Epoch numbers are not the contract, and Jackson read a huge one as its low 64 bits: 1e400 was 1970. */
    @Test
    void aNumericTimestampIsAProblemNamingTheFieldNotAnInstantMadeUpFromIt() {
        for (var number : List.of("1e400", "1.8446744075473552e19", "1764000000", "1e18")) {
            var result = post(VALID.replace("\"2026-11-22T10:15:30Z\"", number));
            assertThat(result)
                    .as(number)
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.detail")
                    .asString()
                    .contains("[0].timestamp")
                    .contains("ISO-8601");
            assertPlainWords(result);
        }
        verifyNoInteractions(ingestion);
    }

    @Test
    void aKeySentTwiceIsAProblemNamingItNotItsLastValue() {
        var result = post(VALID.replace("{\"sessionId\":\"s-1\",", "{\"sessionId\":\"s-1\",\"sessionId\":\"s-2\","));
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("[0].sessionId appears more than once");
        assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("[0].sessionId");
        assertPlainWords(result);
        verifyNoInteractions(ingestion);
    }

    /**
     * Analytics keys page_minute by page in a btree whose entries end at 2704 bytes: 683 CJK characters (2,050 bytes of
     * UTF-8) are refused here, where 2048 characters once passed and 900 of them (2.7 KB) could never be counted.
     */
    @Test
    void aPageIsLimitedInUtf8BytesSoThatAnalyticsCanIndexIt() {
        given(ingestion.ingest(anyList()))
                .willAnswer(i -> ingested(i.getArgument(0, List.class).size()));
        assertThat(post(VALID.replace("/products/42", "/" + "\u4e2d".repeat(682))))
                .as("2,047 bytes")
                .hasStatus(HttpStatus.ACCEPTED);
        assertThat(post(VALID.replace("/products/42", "/" + "p".repeat(2047))))
                .as("2,048 ASCII characters")
                .hasStatus(HttpStatus.ACCEPTED);
        for (var page :
                List.of("/" + "\u4e2d".repeat(683), "/" + "\u4e2d".repeat(900), "/" + "\ud83d\ude00".repeat(512))) {
            var result = post(VALID.replace("/products/42", page));
            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("[0].page");
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.errors[0].message")
                    .isEqualTo("must be at most 2048 bytes as UTF-8");
        }
    }

    @Test
    void anEmptyBatchAndAnOversizedBatchAreProblems() {
        assertThat(post("[]"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("empty");
        var tooMany = String.join(",", Collections.nCopies(ClickController.MAX_CLICKS_PER_REQUEST + 1, VALID));
        assertThat(post("[" + tooMany + "]")).hasStatus(HttpStatus.BAD_REQUEST);
        verifyNoInteractions(ingestion);
    }

    @Test
    void aNullElementIsAProblem() {
        assertThat(post("[" + VALID + ",null]"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("[1]");
    }

    @Test
    void aNonJsonContentTypeIsUnsupportedMediaType() {
        assertThat(mvc.post().uri("/clicks").contentType(MediaType.TEXT_PLAIN).content(VALID))
                .hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aFullBufferAnswers429WithRetryAfter() {
        given(ingestion.ingest(anyList())).willThrow(new BufferFullException(10, 10, 1, Duration.ofMillis(1500)));
        assertThat(post(VALID))
                .hasStatus(HttpStatus.TOO_MANY_REQUESTS)
                .hasHeader("Retry-After", "2")
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aTimestampNoStoreDownstreamCanHoldIsAProblemNamingTheField() {
        for (var timestamp : List.of(
                "+300000-01-01T00:00:00Z", "-4714-11-24T00:00:00Z", "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z")) {
            assertThat(post(VALID.replace("2026-11-22T10:15:30Z", timestamp)))
                    .as(timestamp)
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.errors[0].field")
                    .isEqualTo("[0].timestamp");
        }
        verifyNoInteractions(ingestion);
    }

    @Test
    void theEdgesOfTheAcceptedTimestampRangeAreAccepted() {
        given(ingestion.ingest(anyList()))
                .willAnswer(i -> ingested(i.getArgument(0, List.class).size()));
        assertThat(post(VALID.replace("2026-11-22T10:15:30Z", "1970-01-01T00:00:00Z")))
                .hasStatus(HttpStatus.ACCEPTED);
        assertThat(post(VALID.replace("2026-11-22T10:15:30Z", "9999-12-31T23:59:59.999Z")))
                .hasStatus(HttpStatus.ACCEPTED);
    }

    @Test
    void controlCharactersAndUnpairedSurrogatesInTextAreProblemsNamingTheField() {
        assertThat(post(VALID.replace("/products/42", "/products/\\u0000")))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("[0].page");
        assertThat(post(VALID.replace("u-1", "u\\u0007")))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("[0].userId");
        assertThat(post(VALID.replace("/home", "/h\\ud800ome")))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("[0].referrer");
        verifyNoInteractions(ingestion);
    }

    @Test
    void textOutsideAsciiThatEveryStoreHoldsIsAccepted() {
        given(ingestion.ingest(anyList()))
                .willAnswer(i -> ingested(i.getArgument(0, List.class).size()));
        assertThat(post(VALID.replace("/products/42", "/produkte/größe/\\ud83d\\ude00")))
                .hasStatus(HttpStatus.ACCEPTED);
    }

    @Test
    void overLongTextIsAProblemNamingTheFieldWithoutQuotingIt() {
        var longUser = "u".repeat(5000);
        var result = post(VALID.replace("u-1", longUser));
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("[0].userId");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().doesNotContain("uuuuuuuuuu");
    }

    @Test
    void aBodyOverTheLimitIs413ProblemWithoutBeingParsed() {
        var huge = "[" + String.join(",", Collections.nCopies(10_000, VALID)) + "]";
        assertThat(huge.length()).isGreaterThan(1024 * 1024);
        assertThat(post(huge))
                .hasStatus(HttpStatus.CONTENT_TOO_LARGE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.maxBytes")
                .isEqualTo(1024 * 1024);
        verifyNoInteractions(ingestion);
    }

    @Test
    void aParseErrorQuotesAtMostAShortSanitisedPrefix() {
        var result = post("{\"sessionId\": " + "x".repeat(10_000) + "\u0000}");
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .hasSizeLessThan(ClickProblems.MAX_QUOTED_CHARS + 100)
                .doesNotContain("\u0000");
    }

    @Test
    void aBatchOfManyBadClicksNamesOnlyTheFirstFewInTheDetail() {
        var bad = VALID.replace("\"sessionId\":\"s-1\",", "");
        var result = post("[" + String.join(",", Collections.nCopies(50, bad)) + "]");
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors")
                .asArray()
                .hasSize(50);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("and 40 more");
    }

    /** A refusal says what is wrong in the client's terms: no Java class, no parser internals. */
    private static void assertPlainWords(MvcTestResult result) {
        assertThat(result).bodyJson().extractingPath("$.detail").asString().doesNotContain(ProblemInternals.WORDS);
        assertThat(result)
                .bodyJson()
                .extractingPath("$.errors[*].message")
                .asArray()
                .isNotEmpty()
                .allSatisfy(message -> assertThat(message).asString().doesNotContain(ProblemInternals.WORDS));
    }

    @Test
    void aPageInOverlongUtf8IsA400NotAPageOfDotDotSlash() {
        // "/\xC0\xAE\xC0\xAE/x": Jackson decoded the overlong dots and wrote the page "/../x" to the stream.
        var out = new ByteArrayOutputStream();
        out.writeBytes("{\"sessionId\":\"s\",\"page\":\"/".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAE, (byte) 0xC0, (byte) 0xAE});
        out.writeBytes("/x\",\"timestamp\":\"2026-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(mvc.post()
                        .uri("/clicks")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(out.toByteArray()))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        verifyNoInteractions(ingestion);
    }

    private MvcTestResult post(String body) {
        return mvc.post()
                .uri("/clicks")
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .exchange();
    }

    /** The producer refused the clicks before taking them (the Kafka client without metadata in time): never 202. */
    @Test
    void clicksTheProducerRefusedAtOnceAreAnswered503Not202() {
        given(ingestion.ingest(anyList()))
                .willReturn(new ClickIngestion.Ingested(
                        List.of(new ClickId(UUID.randomUUID())),
                        CompletableFuture.failedFuture(
                                new RecordDeliveryException("no metadata", "TimeoutException"))));
        assertThat(post(VALID))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.errorCode")
                .isEqualTo("TimeoutException");
    }

    private static ClickIngestion.Ingested ingested(int n) {
        return new ClickIngestion.Ingested(
                Stream.generate(() -> new ClickId(UUID.randomUUID())).limit(n).toList(),
                CompletableFuture.completedFuture(null));
    }
}
