package io.decoupled.analytics.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.analytics.AnalyticsApplication;
import io.decoupled.fuzz.Fuzz;
import io.decoupled.fuzz.Gen;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.websecurity.DeclaredHardening;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

/**
 * Fuzzing of every analytics endpoint (generated input, {@link Fuzz}) over real HTTP with a real database: generated paths (an order's
 * path with any id: UUIDs, long, control characters, surrogates, dots), methods, Accept headers that exclude JSON, and
 * query parameters, from valid ones to huge, negative, non-numeric, control characters and unpaired surrogates.
 * Never a 5xx; every refusal is problem+json whose detail quotes at most a short prefix of the input.
 */
class AnalyticsEndpointFuzzIT {
    private static final List<String> PATHS = List.of(
            "/analytics/clicks",
            "/analytics/clicks/pages",
            "/analytics/sessions/active",
            "/analytics/orders",
            "/analytics/orders/high-value",
            "/analytics/funnel",
            "/analytics/deliveries",
            "/analytics/nothing-here");
    private static final List<String> PARAMETERS = List.of("minutes", "limit", "page", "size", "since", "x");
    private static final int QUOTE_BOUND = 80;
    private static final Pattern DETAIL = Pattern.compile("\"detail\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();

    private static ConfigurableApplicationContext app;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void startTheService() {
        var properties =
                new HashMap<String, String>(SharedAwsEnvironments.embedded().springProperties());
        properties.putAll(LocalPostgres.shared().springProperties("analytics_fuzz"));
        properties.put("server.port", "0");
        properties.put("analytics.kcl.enabled", "false");
        properties.put("spring.cloud.aws.sqs.enabled", "false");
        properties.put("spring.main.banner-mode", "off");
        app = new SpringApplicationBuilder(AnalyticsApplication.class)
                .run(properties.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
        base = "http://127.0.0.1:"
                + ((WebServerApplicationContext) app).getWebServer().getPort();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The shared Tomcat hardening is declared here (what it does is tested in platform/web-security). */
    @Test
    void theServiceDeclaresTheSharedTomcatHardening() {
        DeclaredHardening.assertDeclaredIn(app);
    }

    @AfterAll
    static void stop() {
        LoggerFactory.getLogger(AnalyticsEndpointFuzzIT.class).info("Fuzz run: answers by status {}", statuses);
        app.close();
    }

    record Call(String method, String path, Map<String, String> query, String accept) {
        URI uri() {
            var q = query.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return URI.create(base + path + (q.isEmpty() ? "" : "?" + q));
        }
    }

    @Test
    void neverA5xxAlwaysProblemJsonAndNoLongQuote() {
        Fuzz.check("analytics endpoints", 1500, calls(), AnalyticsEndpointFuzzIT::answer);
    }

    private static void answer(Call call) throws Exception {
        var builder = HttpRequest.newBuilder(call.uri())
                .timeout(Duration.ofSeconds(30))
                .method(call.method(), HttpRequest.BodyPublishers.noBody());
        if (!call.accept().isEmpty()) {
            builder.header("Accept", call.accept());
        }
        var request = builder.build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        statuses.merge(status, 1, Integer::sum);

        assertThat(status).as("status for %s", call).isBetween(200, 499);
        if (status >= 400) {
            assertThat(response.headers().firstValue("Content-Type"))
                    .as("content type of %d for %s", status, call)
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            var detail = DETAIL.matcher(response.body());
            if (detail.find()) {
                for (var value : call.query().values()) {
                    if (value.length() > QUOTE_BOUND) {
                        assertThat(detail.group(1))
                                .as("detail quotes at most a short prefix")
                                .doesNotContain(value.substring(0, QUOTE_BOUND));
                    }
                }
                assertThat(detail.group(1)).doesNotContainPattern("\\p{Cntrl}");
            }
        }
    }

    private static Gen<Call> calls() {
        var methods = Gen.frequency(
                Gen.weight(8, Gen.just("GET")), Gen.weight(1, Gen.of("POST", "PUT", "DELETE", "PATCH", "TRACE")));
        var values = Gen.oneOf(
                Gen.ints(-5, 6000).map(String::valueOf),
                Gen.longs().map(String::valueOf),
                Gen.chars().all().strings(0, 20),
                Gen.chars().range('\u0000', '\u001f').strings(1, 10),
                Gen.chars().range('\ud800', '\udfff').strings(1, 4),
                Gen.chars().alpha().strings(200, 5000),
                Gen.of("1e309", "NaN", "-0", "0x10", "9".repeat(40), "", " ", "%", "1;drop table session_activity"));
        var query = Gen.maps(Gen.of(PARAMETERS), values, 0, 3);
        var orderIds = Gen.oneOf(
                Gen.from(() -> UUID.randomUUID().toString()),
                Gen.chars().all().strings(1, 20),
                Gen.chars().alpha().strings(90, 400),
                Gen.chars().range('\u0001', '\u001f').strings(1, 5),
                Gen.chars().range('\ud800', '\udfff').strings(1, 3),
                Gen.of("..", ".", "%", "%00", "a/b", ";x=1", "1-1-1-1-1"));
        var paths = Gen.frequency(
                Gen.weight(8, Gen.of(PATHS)),
                Gen.weight(
                        2,
                        orderIds.map(id -> "/analytics/orders/"
                                + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "/path")),
                Gen.weight(1, Gen.just("/analytics/clickstream/consumer")));
        var accept = Gen.frequency(
                Gen.weight(6, Gen.just("")),
                Gen.weight(
                        1,
                        Gen.of(
                                "application/json",
                                "text/html",
                                "application/xml",
                                "*/*",
                                "text/plain",
                                "garbage",
                                "text/html;q=x")));
        return random -> new Call(methods.next(random), paths.next(random), query.next(random), accept.next(random));
    }
}
