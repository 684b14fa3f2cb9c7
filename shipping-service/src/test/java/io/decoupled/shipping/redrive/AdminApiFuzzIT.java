package io.decoupled.shipping.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.fuzz.Fuzz;
import io.decoupled.fuzz.Gen;
import io.decoupled.shipping.LocalShipping;
import io.decoupled.websecurity.DeclaredHardening;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's admin API, fuzzed with generated input ({@link Fuzz}): thousands of generated requests (wrong and missing tokens, control
 * characters, lone surrogates, huge and negative numbers, wrong types, deep nesting, malformed and oversized bodies).
 * Never a 5xx, every error is problem+json, and a detail quotes at most a short prefix of what was sent. Runs in
 * MockMvc over the real controller, against the real SQS emulator, on a queue pair of its own.
 */
@SpringBootTest(
        properties = {
            "shipping.autoscaling.enabled=false",
            "shipping.outbox.relay.enabled=false",
            "shipping.consumer.workers=1",
            "shipping.admin.token=" + AdminApiFuzzIT.TOKEN,
            // thousands of requests a second here; the limit itself is pinned by AdminRateLimitTest
            "shipping.admin.requests-per-second=10000"
        })
@AutoConfigureMockMvc
class AdminApiFuzzIT {
    static final String TOKEN = "fuzz-admin-token-1234";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int OVER_LIMIT = 128 * 1024 + 1;

    private static final AtomicInteger cases = new AtomicInteger();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LocalShipping.register(registry, "shipping_admin_fuzz");
        var queue = LocalShipping.queuePair("admin-fuzz", Duration.ofSeconds(30));
        registry.add("shipping.consumer.queue", queue::name);
        registry.add("shipping.redrive.source-queue", queue::name);
        registry.add("shipping.redrive.dead-letter-queue", queue::deadLetterName);
    }

    @Autowired
    private ApplicationContext application;

    @Autowired
    private MockMvcTester api;

    /** The shared Tomcat hardening is declared here (what it does is tested in platform/web-security). */
    @Test
    void theServiceDeclaresTheSharedTomcatHardening() {
        DeclaredHardening.assertDeclaredIn(application);
    }

    @AfterAll
    static void report() {
        System.out.printf("Admin API fuzz: %d requests%n", cases.get());
    }

    record Selection(Body body, Optional<String> authorization) {}

    @Test
    void redrivingAnySelectionNeverFailsOnTheServerSide() {
        var selections = selections();
        var authorizations = authorizations();
        Fuzz.check(
                "redrive-selected",
                1500,
                random -> new Selection(selections.next(random), authorizations.next(random)),
                selection -> redriveSelected(selection.body(), selection.authorization()));
    }

    private void redriveSelected(Body body, Optional<String> authorization) {
        var request = api.post()
                .uri("/admin/dlq/redrive-selected")
                .contentType(MediaType.APPLICATION_JSON)
                .content(body.bytes());
        if (authorization.isPresent()) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization.get());
        }
        var result = request.exchange();
        check(result, body.strings());
        if (authorization.isEmpty() || !authorization.get().equals("Bearer " + TOKEN)) {
            // Without the token nothing gets through; an oversized body is refused even before the token is checked.
            assertThat(result.getResponse().getStatus()).isIn(401, 413);
        }
    }

    @Test
    void peekingWithAnyLimitNeverFailsOnTheServerSide() {
        Fuzz.check("peek", 600, parameters(), this::peek);
    }

    private void peek(String max) {
        var result = api.get()
                .uri("/admin/dlq/messages")
                .param("max", max)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .exchange();
        check(result, List.of(max));
    }

    record Read(Optional<String> authorization, String path) {}

    @Test
    void readingTheQueueWithAnyTokenNeverFailsOnTheServerSide() {
        var authorizations = authorizations();
        var paths = paths();
        Fuzz.check(
                "admin reads",
                400,
                random -> new Read(authorizations.next(random), paths.next(random)),
                read -> read(read.authorization(), read.path()));
    }

    private void read(Optional<String> authorization, String path) {
        var request = api.get().uri(path);
        if (authorization.isPresent()) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization.get());
        }
        check(request.exchange(), authorization.map(List::of).orElse(List.of()));
    }

    @Test
    void startingARedriveNeverFailsOnTheServerSide() {
        Fuzz.check("redrive", 20, authorizations(), this::redrive);
    }

    private void redrive(Optional<String> authorization) {
        var request = api.post().uri("/admin/dlq/redrive");
        if (authorization.isPresent()) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization.get());
        }
        check(request.exchange(), List.of());
    }

    private static void check(MvcTestResult result, List<String> sent) {
        cases.incrementAndGet();
        assertThat(result.getUnresolvedException())
                .as("an exception escaped the MVC layer")
                .isNull();
        var response = result.getResponse();
        assertThat(response.getStatus()).as("never a server error").isLessThan(500);
        if (response.getStatus() >= 400) {
            assertThat(MediaType.parseMediaType(String.valueOf(response.getContentType()))
                            .isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .as("errors are problem+json, was %s", response.getContentType())
                    .isTrue();
            JsonNode problem = JSON.readTree(response.getContentAsByteArray());
            assertThat(problem.path("status").asInt()).isEqualTo(response.getStatus());
            var detail = problem.path("detail").asString("");
            assertThat(detail)
                    .hasSizeLessThanOrEqualTo(1001)
                    .doesNotContain("Exception")
                    .doesNotContain("java.");
            assertThat(detail.chars())
                    .as("a detail carries no control characters")
                    .noneMatch(Character::isISOControl);
            for (var s : sent) {
                if (s.length() > 40) {
                    assertThat(detail)
                            .as("a detail quotes at most a short prefix of the input")
                            .doesNotContain(s.substring(0, 41));
                }
            }
        }
    }

    record Body(byte[] bytes, List<String> strings) {
        @Override
        public String toString() {
            var text = new String(bytes, StandardCharsets.UTF_8);
            return text.length() > 300 ? text.substring(0, 300) + "… (" + bytes.length + " bytes)" : text;
        }
    }

    private static Gen<Optional<String>> authorizations() {
        return Gen.frequency(
                Gen.weight(80, Gen.just(Optional.of("Bearer " + TOKEN))),
                Gen.weight(5, Gen.just(Optional.<String>empty())),
                Gen.weight(15, text().map(t -> Optional.of(t))));
    }

    private static Gen<String> paths() {
        return Gen.of("/admin/dlq", "/admin/dlq/redrives", "/admin/dlq/messages", "/admin/dlq/nothing-here");
    }

    private static Gen<String> parameters() {
        return Gen.oneOf(numbers(), text());
    }

    private static Gen<Body> selections() {
        var ids =
                Gen.oneOf(text(), Gen.from(() -> UUID.randomUUID().toString())).list(0, 5);
        return Gen.frequency(
                Gen.weight(45, ids.map(list -> body("{\"messageIds\":" + array(list) + "}", list))),
                Gen.weight(10, Gen.ints(990, 1100).map(n -> {
                    var list = new ArrayList<String>();
                    for (int i = 0; i < n; i++) {
                        list.add("id-" + i);
                    }
                    return body("{\"messageIds\":" + array(list) + "}", List.of());
                })),
                Gen.weight(
                        15,
                        Gen.oneOf(numbers(), Gen.of("true", "null", "{}", "[]", "\"x\"", "[[[]]]", "[1,2]", "[null]"))
                                .map(v -> body("{\"messageIds\":" + v + "}", List.of(v)))),
                Gen.weight(
                        10,
                        Gen.of(
                                        "",
                                        "{",
                                        "{\"messageIds\":[\"a\"",
                                        "[]",
                                        "null",
                                        "\"str\"",
                                        "{\"messageIds\":[\"a\",]}",
                                        "\u0000")
                                .map(v -> body(v, List.of(v)))),
                Gen.weight(
                        8,
                        Gen.ints(50, 3000)
                                .map(d -> body("{\"messageIds\":" + "[".repeat(d) + "]".repeat(d) + "}", List.of()))),
                Gen.weight(7, Gen.ints(OVER_LIMIT, 2 * OVER_LIMIT).map(n -> {
                    var id = "x".repeat(n);
                    return body("{\"messageIds\":[\"" + id + "\"]}", List.of(id));
                })),
                Gen.weight(5, Gen.bytes(0, 100).map(b -> new Body(b, List.of()))));
    }

    private static Gen<String> text() {
        return Gen.frequency(
                Gen.weight(20, Gen.chars().alpha().numeric().strings(0, 20)),
                Gen.weight(20, Gen.chars().all().strings(0, 30)),
                Gen.weight(
                        15,
                        Gen.chars()
                                .range('\u0000', '\u001f')
                                .with('\u007f', 'a')
                                .strings(1, 10)),
                Gen.weight(10, Gen.chars().range('\ud800', '\udfff').with('x').strings(1, 5)),
                Gen.weight(20, Gen.chars().alpha().strings(41, 3000)),
                Gen.weight(
                        15,
                        Gen.of(
                                "",
                                " ",
                                "null",
                                "Bearer",
                                "Bearer ",
                                "Bearer " + TOKEN + "x",
                                "bearer " + TOKEN,
                                "../..",
                                "%00")));
    }

    private static Gen<String> numbers() {
        return Gen.oneOf(
                Gen.ints(-5, 200).map(String::valueOf),
                Gen.longs().map(String::valueOf),
                Gen.of("1e309", "-0", "0.5", "2147483648", "99999999999999999999999", "NaN", "1E+999999999"));
    }

    private static Body body(String text, List<String> strings) {
        return new Body(text.getBytes(StandardCharsets.UTF_8), strings);
    }

    /** A JSON array of strings, escaping everything outside printable ASCII, lone surrogates included. */
    private static String array(List<String> values) {
        var out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append('"');
            for (char c : values.get(i).toCharArray()) {
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
        return out.append(']').toString();
    }
}
