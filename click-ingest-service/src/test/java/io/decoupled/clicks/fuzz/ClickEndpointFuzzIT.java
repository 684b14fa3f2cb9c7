package io.decoupled.clicks.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.clicks.ClickIngestApplication;
import io.decoupled.clicks.click.ProblemInternals;
import io.decoupled.clicks.producer.BatchingKinesisProducer;
import io.decoupled.clicks.stream.StreamRecords;
import io.decoupled.fuzz.Fuzz;
import io.decoupled.fuzz.Gen;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.websecurity.DeclaredHardening;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Fuzzing of {@code POST /clicks} with generated input ({@link Fuzz}) over real HTTP (Tomcat) into kinesalite: thousands of generated
 * bodies, from almost-valid clicks to control characters, unpaired surrogates, huge and negative numbers, extreme
 * dates, deep nesting, wrong types and bodies over the size limit (some sent chunked, without a length). Whatever
 * comes in: never a 5xx, every refusal is problem+json whose detail quotes at most a short prefix of the input,
 * and every click answered 202 is on the stream exactly once when the run ends. Bodies the contract refuses though a
 * lenient reader would take them (a key twice, an epoch number for the timestamp, a page too long in UTF-8 bytes for
 * analytics' index) must be a 400: accepted, they would be counted as something else or never counted.
 */
class ClickEndpointFuzzIT {
    private static final Pattern CLICK_ID = Pattern.compile("\"clickId\":\"([^\"]+)\"");
    /** Longer than any prefix a detail may quote (ClickProblems.MAX_QUOTED_CHARS is 120). */
    private static final int QUOTE_BOUND = 130;

    private static final String STREAM =
            "clicks-fuzz-" + UUID.randomUUID().toString().substring(0, 8);

    private static ConfigurableApplicationContext app;
    private static HttpClient http;
    private static URI clicks;
    private static final Queue<String> accepted = new ConcurrentLinkedQueue<>();
    private static final Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();
    private static final KinesisClient kinesis =
            SharedAwsEnvironments.embedded().kinesis();

    @BeforeAll
    static void startTheService() {
        kinesis.createStream(r -> r.streamName(STREAM).shardCount(1));
        kinesis.waiter().waitUntilStreamExists(r -> r.streamName(STREAM));
        var properties =
                new HashMap<String, String>(SharedAwsEnvironments.embedded().springProperties());
        properties.put("server.port", "0");
        properties.put("clickstream.producer.stream", STREAM);
        properties.put("spring.main.banner-mode", "off");
        // As command-line arguments: they override application.yml, as a deployment's settings would.
        app = new SpringApplicationBuilder(ClickIngestApplication.class)
                .run(properties.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        clicks = URI.create("http://127.0.0.1:" + port + "/clicks");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The shared Tomcat hardening is declared here (what it does is tested in platform/web-security). */
    @Test
    void theServiceDeclaresTheSharedTomcatHardening() {
        DeclaredHardening.assertDeclaredIn(app);
    }

    @AfterAll
    static void everyAcceptedClickIsOnTheStreamExactlyOnce() {
        try {
            var producer = app.getBean(BatchingKinesisProducer.class);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> producer.held() == 0);
            var onStream = StreamRecords.readAll(kinesis, STREAM).stream()
                    .map(r -> {
                        var m = CLICK_ID.matcher(r.data());
                        assertThat(m.find()).as("a click id in %s", r.data()).isTrue();
                        return m.group(1);
                    })
                    .toList();
            assertThat(onStream)
                    .as("clicks on the stream")
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(accepted);
            LoggerFactory.getLogger(ClickEndpointFuzzIT.class)
                    .info(
                            "Fuzz run: answers by status {}; {} accepted clicks on the stream once each",
                            statuses,
                            onStream.size());
        } finally {
            app.close();
        }
    }

    @Test
    void neverA5xxAlwaysProblemJsonAndNoLongQuote() {
        Fuzz.check("POST /clicks", 3000, bodies(), ClickEndpointFuzzIT::post);
    }

    private static void post(Body body) throws Exception {
        var request = HttpRequest.newBuilder(clicks)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(
                        body.chunked()
                                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.bytes()))
                                : HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        statuses.merge(status, 1, Integer::sum);
        var content = response.body();

        assertThat(status).as("status for %s", body).isBetween(200, 499);
        if (body.refused()) {
            assertThat(status).as("a body the contract refuses: %s", body).isEqualTo(400);
        }
        if (status == 202 || status == 200) {
            var clickIds = Pattern.compile("\"clickIds\":\\[([^\\]]*)]").matcher(content);
            assertThat(clickIds.find()).as(content).isTrue();
            for (var id : clickIds.group(1).split(",")) {
                accepted.add(id.replace("\"", ""));
            }
            return;
        }
        assertThat(response.headers().firstValue("Content-Type"))
                .as("content type of %d for %s", status, body)
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        var detail = extractDetail(content);
        assertThat(detail).as("detail of %d", status).hasSizeLessThan(2000).doesNotContainPattern("\\p{Cntrl}");
        assertThat(detail).as("detail of %d for %s", status, body).doesNotContain(ProblemInternals.WORDS);
        for (var message : extractMessages(content)) {
            assertThat(message)
                    .as("errors[].message of %d for %s", status, body)
                    .doesNotContain(ProblemInternals.WORDS);
        }
        for (var text : body.texts()) {
            if (text.length() > QUOTE_BOUND) {
                assertThat(detail)
                        .as("detail quotes at most a short prefix")
                        .doesNotContain(text.substring(0, QUOTE_BOUND));
            }
        }
    }

    private static String extractDetail(String problem) {
        var m = Pattern.compile("\"detail\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(problem);
        return m.find() ? m.group(1) : "";
    }

    private static List<String> extractMessages(String problem) {
        return Pattern.compile("\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(problem)
                .results()
                .map(m -> m.group(1))
                .toList();
    }

    /**
     * A generated request body, the raw strings it contains (to check what a detail may quote), how it is sent, and
     * whether the contract refuses it whatever else it contains.
     */
    record Body(String json, List<String> texts, boolean chunked, boolean refused) {
        Body(String json, List<String> texts, boolean chunked) {
            this(json, texts, chunked, false);
        }

        byte[] bytes() {
            return json.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return (chunked ? "chunked " : "") + json.length() + " chars: "
                    + (json.length() > 300 ? json.substring(0, 300) + "…" : json);
        }
    }

    private static Gen<Body> bodies() {
        var click = click();
        var batch = click.list(0, 30).map(ClickEndpointFuzzIT::array);
        var bigBatch = click.list(400, 520).map(ClickEndpointFuzzIT::array);
        var nested = Gen.ints(1, 5000).map(depth -> new Body("[".repeat(depth) + "]".repeat(depth), List.of(), false));
        var nestedObject = Gen.ints(1, 3000)
                .map(depth -> new Body("{\"sessionId\":".repeat(depth) + "1" + "}".repeat(depth), List.of(), false));
        var garbage = Gen.chars().all().strings(0, 400).map(s -> new Body(s, List.of(s), false));
        var huge = Gen.ints(1_100_000, 1_600_000)
                .flatMap(size -> Gen.booleans()
                        .map(chunked -> new Body(
                                "["
                                        + "{\"sessionId\":\"s\",\"page\":\"/p\",\"timestamp\":\"2026-01-01T00:00:00Z\"},"
                                                .repeat(size / 70)
                                        + "{}]",
                                List.of(),
                                chunked)));
        var hugeString = Gen.booleans().map(chunked -> {
            var s = "p".repeat(1_200_000);
            return new Body(
                    "{\"sessionId\":\"s\",\"page\":\"" + s + "\",\"timestamp\":\"2026-01-01T00:00:00Z\"}",
                    List.of(s),
                    chunked);
        });
        return Gen.frequency(
                Gen.weight(40, click.map(c -> new Body(c.json(), c.texts(), false))),
                Gen.weight(3, refusedByTheContract()),
                Gen.weight(2, pagesNearTheUtf8Limit()),
                Gen.weight(25, batch),
                Gen.weight(1, bigBatch),
                Gen.weight(6, nested),
                Gen.weight(4, nestedObject),
                Gen.weight(20, garbage),
                Gen.weight(1, huge),
                Gen.weight(1, hugeString));
    }

    /** Valid clicks but for one thing a lenient reader would take: a key twice, or an epoch number as the timestamp. */
    private static Gen<Body> refusedByTheContract() {
        var numbers = Gen.oneOf(
                Gen.longs(0, 253402300799L).map(String::valueOf),
                Gen.doubles(0, 1e30).map(String::valueOf),
                Gen.of("1e400", "1.8446744075473552e19", "-0", "1764000000.5", "1E+999999999"));
        var numericTimestamp = numbers.map(n ->
                new Body("{\"sessionId\":\"fz-n\",\"page\":\"/n\",\"timestamp\":" + n + "}", List.of(), false, true));
        var duplicated = Gen.of("sessionId", "page", "timestamp").map(key -> {
            var click = new StringBuilder(
                    "{\"sessionId\":\"fz-d\",\"page\":\"/d\",\"timestamp\":\"2026-01-01T00:00:00Z\",");
            click.append('"')
                    .append(key)
                    .append("\":")
                    .append(key.equals("timestamp") ? "\"2026-01-02T00:00:00Z\"" : "\"x\"")
                    .append('}');
            return new Body(click.toString(), List.of(), false, true);
        });
        return Gen.oneOf(numericTimestamp, duplicated);
    }

    /**
     * Pages of CJK characters (3 bytes of UTF-8 each) or emoji (4) around analytics' limit of 2048 bytes: within it
     * accepted, past it refused, though every one of them is within 2048 UTF-16 characters.
     */
    private static Gen<Body> pagesNearTheUtf8Limit() {
        var cjk = Gen.ints(600, 2047).map(n -> Map.entry("中".repeat(n), 1 + 3 * n));
        var emoji = Gen.ints(450, 1023).map(n -> Map.entry("😀".repeat(n), 1 + 4 * n));
        return Gen.oneOf(cjk, emoji)
                .map(page -> new Body(
                        "{\"sessionId\":\"fz-u\",\"page\":\"/" + page.getKey()
                                + "\",\"timestamp\":\"2026-01-01T00:00:00Z\"}",
                        List.of(),
                        false,
                        page.getValue() > 2048));
    }

    private static Body array(List<Body> clicks) {
        return new Body(
                clicks.stream().map(Body::json).collect(Collectors.joining(",", "[", "]")),
                clicks.stream().flatMap(c -> c.texts().stream()).toList(),
                false);
    }

    /** One click object whose fields are each valid, subtly invalid or of the wrong type; fields may be missing. */
    private static Gen<Body> click() {
        var session = Gen.oneOf(
                Gen.chars()
                        .range('a', 'z')
                        .numeric()
                        .with("._:-")
                        .strings(1, 40)
                        .map(s -> "fz-" + s),
                anyText());
        var text = Gen.oneOf(Gen.chars().alpha().with("/-_?=&").strings(0, 60).map(s -> "/" + s), anyText());
        // A client's own click id: fresh UUIDs (never repeated, so the stream check below still finds each click
        // once), in either case, or any text, which must be a 400 naming clickId.
        var clickId = Gen.oneOf(
                Gen.from(() -> UUID.randomUUID().toString()),
                Gen.from(() -> UUID.randomUUID().toString().toUpperCase(Locale.ROOT)),
                anyText());
        var fields = List.of(
                field("clickId", clickId),
                field("sessionId", session),
                field("userId", text),
                field("page", text),
                field("referrer", text),
                field("timestamp", timestamp()),
                field("extra", anyValue()));
        return random -> {
            var parts = fields.stream()
                    .map(f -> f.next(random))
                    .filter(p -> !p.json().isEmpty())
                    .toList();
            return new Body(
                    parts.stream().map(Body::json).collect(Collectors.joining(",", "{", "}")),
                    parts.stream().flatMap(p -> p.texts().stream()).toList(),
                    false);
        };
    }

    /** {@code "name": value}, a wrong-typed value, or nothing at all. */
    private static Gen<Body> field(String name, Gen<String> text) {
        var asString = text.map(t -> new Body("\"" + name + "\":" + quote(t), List.of(t), false));
        var wrongType = anyValue().map(v -> new Body("\"" + name + "\":" + v, List.of(), false));
        var missing = Gen.just(new Body("", List.of(), false));
        return Gen.frequency(Gen.weight(8, asString), Gen.weight(1, wrongType), Gen.weight(1, missing));
    }

    private static Gen<String> anyText() {
        return Gen.oneOf(
                Gen.chars().all().strings(0, 50),
                Gen.chars().all().strings(100, 5000),
                Gen.chars()
                        .with(
                                '\u0000', '\u0007', '\u001f', '\u007f', '\u0085', '\ud800', '\udfff', '\ud83d',
                                '\ude00', 'a', '/')
                        .strings(0, 20));
    }

    private static Gen<String> timestamp() {
        var inRange =
                Gen.longs(0, 253402300799L).map(s -> Instant.ofEpochSecond(s).toString());
        var extreme = Gen.longs(-31557014167219200L, 31556889864403199L)
                .map(s -> Instant.ofEpochSecond(s).toString());
        var edges = Gen.of(
                "+300000-01-01T00:00:00Z",
                "-4714-11-24T00:00:00Z",
                "+1000000000-12-31T23:59:59.999999999Z",
                "-1000000000-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z",
                "9999-12-31T23:59:59.999999999Z",
                "+10000-01-01T00:00:00Z",
                "1970-01-01T00:00:00Z",
                "2026-02-30T00:00:00Z",
                "2026-01-01T24:00:00Z",
                "2026-01-01",
                "now",
                "");
        return Gen.oneOf(inRange, extreme, edges, anyText());
    }

    /** Any JSON value as text: numbers of every size and sign, booleans, null, nested arrays and objects. */
    private static Gen<String> anyValue() {
        return Gen.oneOf(
                Gen.bigIntegers(BigInteger.TEN.pow(400).negate(), BigInteger.TEN.pow(400))
                        .map(Object::toString),
                Gen.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "1e999"),
                Gen.of(
                        "true",
                        "false",
                        "null",
                        "-0",
                        "1e-999",
                        "1e99999",
                        "-9223372036854775809",
                        "[]",
                        "{}",
                        "[null]",
                        "{\"a\":[1,{\"b\":null}]}",
                        "\"\""),
                Gen.ints(1, 2000).map(depth -> "[".repeat(depth) + "]".repeat(depth)));
    }

    /**
     * A JSON string literal. Unpaired surrogates can only travel escaped (UTF-8 has no encoding for them), so they
     * and a share of the other characters are escaped; control characters are sometimes left raw, which makes the
     * body invalid JSON.
     */
    static String quote(String text) {
        var out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                out.append(c).append(text.charAt(++i));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isSurrogate(c) || (c < 0x20 && (i % 3 != 0)) || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
