package io.decoupled.console.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.decoupled.console.StubHttpServer;
import io.decoupled.console.queues.PoisonInjector;
import io.decoupled.console.services.ServicesProperties;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The generator against stand-ins of order-service and click-ingest-service (HTTP only; no AWS involved). */
class LoadGeneratorTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StubHttpServer orders = new StubHttpServer().on("POST /orders", 201, "{\"id\":\"x\"}");
    private final StubHttpServer clicks = new StubHttpServer().on("POST /clicks", 202, "");
    private final PoisonInjector poison = mock(PoisonInjector.class);
    private LoadGenerator generator;

    @AfterEach
    void stop() {
        if (generator != null) {
            generator.close();
        }
        orders.close();
        clicks.close();
    }

    @Test
    void sendsContractShapedOrdersAndClicksAtNoMoreThanTheConfiguredRate() {
        generator = generator(properties(20, 100, 0, 64), orders.url(), clicks.url());
        Instant started = Instant.now();
        generator.start();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> generator.progress().ordersAccepted() >= 10
                        && generator.progress().clicksAccepted() >= 50);
        generator.stop();
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;

        var progress = generator.progress();
        // Open loop with a credit per tick: it can lag behind the rate, never run ahead of it.
        assertThat(progress.ordersSent()).isLessThanOrEqualTo((long) Math.ceil(20 * seconds) + 2);
        assertThat(progress.clicksSent()).isLessThanOrEqualTo((long) Math.ceil(100 * seconds) + 10);
        assertThat(progress.ordersRejected() + progress.ordersFailed() + progress.clicksFailed())
                .isZero();

        var placed = orders.requests("POST", "/orders");
        assertThat(placed.stream().map(r -> r.header("Idempotency-Key")).distinct())
                .hasSize(placed.size());
        JsonNode order = JSON.readTree(placed.getFirst().body());
        assertThat(order.path("customerId").asString()).isNotBlank();
        assertThat(order.path("sessionId").asString()).startsWith("s-");
        assertThat(order.path("fulfillment").asString()).isIn("SHIP", "DIGITAL");
        assertThat(order.path("country").asString()).hasSize(2);
        assertThat(order.path("lines").size()).isPositive();
        for (JsonNode line : order.path("lines")) {
            assertThat(line.path("quantity").asInt()).isPositive();
            assertThat(new BigDecimal(line.path("unitPrice").asString())).isPositive();
        }

        JsonNode batch =
                JSON.readTree(clicks.requests("POST", "/clicks").getFirst().body());
        assertThat(batch.isArray()).isTrue();
        assertThat(batch.get(0).path("sessionId").asString()).startsWith("s-");
        assertThat(batch.get(0).path("page").asString()).startsWith("/");
        assertThat(Instant.parse(batch.get(0).path("timestamp").asString())).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void aBurstSendsExactlyTheRequestedNumberOfDistinctOrders() {
        generator = generator(properties(0, 0, 0, 8), orders.url(), clicks.url());

        generator.burst(50);

        await().atMost(Duration.ofSeconds(30)).until(() -> generator.progress().ordersAccepted() == 50);
        var keys = new HashSet<String>();
        orders.requests("POST", "/orders").forEach(r -> keys.add(r.header("Idempotency-Key")));
        assertThat(keys).hasSize(50);
        assertThat(generator.progress().bursts()).isEqualTo(1);
        assertThat(generator.progress().skipped()).isZero();
    }

    @Test
    void throttledClicksCountAsBackPressureNotAsFailures() {
        try (var busy = new StubHttpServer().on("POST /clicks", 429, "{\"title\":\"Too Many Requests\"}")) {
            generator = generator(properties(0, 50, 0, 16), orders.url(), busy.url());
            generator.start();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> generator.progress().clicksThrottled() >= 10);
            assertThat(generator.progress().clicksFailed()).isZero();
            assertThat(generator.progress().lastProblem()).isNull();
        }
    }

    @Test
    void aServiceThatDoesNotAnswerIsCountedAndExplainedNotThrown() {
        generator = generator(properties(20, 0, 0, 8), URI.create("http://127.0.0.1:1"), clicks.url());
        generator.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> generator.progress().ordersFailed() >= 3);
        assertThat(generator.progress().ordersAccepted()).isZero();
        assertThat(generator.progress().lastProblem()).contains("order-service did not answer");
    }

    @Test
    void aShareOfOrderTicksBecomesPoisonMessages() {
        when(poison.inject()).thenReturn("m-1");
        generator = generator(properties(50, 0, 1.0, 8), orders.url(), clicks.url());
        generator.start();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> Mockito.mockingDetails(poison).getInvocations().size() >= 5);
        assertThat(orders.requests()).isEmpty();
    }

    @Test
    void theProgressLineSaysWhatHappened() {
        var line = LoadGenerator.summary(new LoadProgress(
                true, new LoadProgress.Rates(2, 20, 0.02), 10, 9, 1, 0, 200, 180, 20, 0, 0, 3, 1, 0, 2.0, 19.5, null));
        assertThat(line)
                .contains("orders 9 accepted (2.0/s)", "clicks 180 accepted (19.5/s)", "20 throttled", "3 poison");
    }

    private LoadGenerator generator(LoadProperties properties, URI orderUrl, URI clickUrl) {
        var services = new ServicesProperties(
                orderUrl,
                URI.create("http://127.0.0.1:1"),
                clickUrl,
                URI.create("http://127.0.0.1:1"),
                "token",
                Duration.ofSeconds(2));
        return new LoadGenerator(properties, services, poison);
    }

    private static LoadProperties properties(double orders, double clicks, double poisonShare, int concurrency) {
        return properties(orders, clicks, poisonShare, concurrency, new LoadProperties.Auth("", null, "", "", ""));
    }

    private static LoadProperties properties(
            double orders, double clicks, double poisonShare, int concurrency, LoadProperties.Auth auth) {
        return new LoadProperties(
                false, orders, clicks, poisonShare, 0.7, 0.05, 200, concurrency, 50, Duration.ofSeconds(10), auth);
    }

    @Test
    void byDefaultItSendsNoAuthorizationHeader() {
        generator = generator(properties(20, 100, 0, 8), orders.url(), clicks.url());
        generator.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> generator.progress().ordersAccepted() >= 2
                        && generator.progress().clicksAccepted() >= 2);
        generator.stop();
        assertThat(orders.requests("POST", "/orders"))
                .allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
    }

    @Test
    void aFixedTokenIsSentAsBearerToBothApis() {
        generator = generator(
                properties(20, 100, 0, 8, new LoadProperties.Auth("token-from-cognito", null, "", "", "")),
                orders.url(),
                clicks.url());
        generator.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> generator.progress().ordersAccepted() >= 2
                        && generator.progress().clicksAccepted() >= 2);
        generator.stop();
        assertThat(orders.requests("POST", "/orders"))
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer token-from-cognito"));
        assertThat(clicks.requests("POST", "/clicks"))
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer token-from-cognito"));
    }

    @Test
    void withClientCredentialsItFetchesATokenOnceAndSendsIt() {
        try (var issuer = new StubHttpServer()
                .on(
                        "POST /oauth2/token",
                        200,
                        "{\"access_token\":\"fetched-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")) {
            var auth = new LoadProperties.Auth(
                    "", issuer.url().resolve("/oauth2/token"), "the-client", "the-secret", "decoupled-api/write");
            generator = generator(properties(20, 100, 0, 8, auth), orders.url(), clicks.url());
            generator.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> generator.progress().ordersAccepted() >= 3);
            generator.stop();

            assertThat(orders.requests("POST", "/orders"))
                    .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer fetched-access-token"));
            var fetched = issuer.requests("POST", "/oauth2/token");
            assertThat(fetched)
                    .as("one token serves until a minute before it expires")
                    .hasSize(1);
            assertThat(fetched.getFirst().header("Authorization"))
                    .isEqualTo("Basic "
                            + Base64.getEncoder()
                                    .encodeToString("the-client:the-secret".getBytes(StandardCharsets.UTF_8)));
            assertThat(fetched.getFirst().body())
                    .isEqualTo("grant_type=client_credentials&scope=decoupled-api%2Fwrite");
        }
    }

    @Test
    void aRefusedTokenRequestIsShownAndNothingIsSentWithoutAToken() {
        try (var issuer = new StubHttpServer().on("POST /oauth2/token", 400, "{\"error\":\"invalid_client\"}")) {
            var auth = new LoadProperties.Auth(
                    "", issuer.url().resolve("/oauth2/token"), "the-client", "wrong-secret", "");
            generator = generator(properties(20, 0, 0, 8, auth), orders.url(), clicks.url());
            generator.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> generator.progress().ordersFailed() >= 2);
            generator.stop();

            assertThat(orders.requests("POST", "/orders")).isEmpty();
            assertThat(generator.progress().lastProblem())
                    .contains("no API token", "answered 400")
                    .doesNotContain("wrong-secret");
        }
    }
}
