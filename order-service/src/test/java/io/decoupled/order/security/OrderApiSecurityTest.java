package io.decoupled.order.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import jakarta.servlet.Filter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockServletContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * The API's security chain with real tokens: an RSA key generated for this run signs them, and a loopback server
 * publishes its public half as the issuer's JWKS, exactly as Cognito does. Deny cases first: no token, expired,
 * another audience, another issuer, another key, an ID token, a missing scope; then the tokens that pass, and the
 * default (authentication off), where nothing is asked.
 */
class OrderApiSecurityTest {
    private static final String CLIENT = "load-generator-client";
    private static final String SCOPE = "decoupled-api/write";
    private static RSAKey signingKey;
    private static RSAKey strangerKey;
    private static HttpServer jwks;
    private static String issuer;

    private AnnotationConfigWebApplicationContext context;

    @BeforeAll
    static void issuer() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("run-key").generate();
        strangerKey = new RSAKeyGenerator(2048).keyID("run-key").generate();
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var body = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/pool/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        issuer = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/pool";
    }

    @AfterAll
    static void stopIssuer() {
        jwks.stop(0);
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void withoutATokenTheApiAnswers401ProblemAndNamesTheScheme() throws Exception {
        var result = secured().perform(post("/orders")).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
        assertThat(result.getResponse().getContentAsString()).contains("\"status\":401", "Authorization: Bearer");
        assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    }

    @Test
    void readsNeedATokenToo() throws Exception {
        assertThat(status(secured(), get("/orders/42"))).isEqualTo(401);
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        var expired = token(
                signingKey,
                claims -> claims.expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5)))));
        var result = call(secured(), expired);
        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).contains("invalid_token");
    }

    @Test
    void aTokenForAnotherAudienceIs401() throws Exception {
        assertThat(call(secured(), token(signingKey, claims -> claims.claim("client_id", "another-app")))
                        .getResponse()
                        .getStatus())
                .isEqualTo(401);
        assertThat(call(
                                secured(),
                                token(
                                        signingKey,
                                        claims ->
                                                claims.claim("client_id", null).audience("another-api")))
                        .getResponse()
                        .getStatus())
                .isEqualTo(401);
    }

    @Test
    void aTokenOfAnotherIssuerOrSignedWithAnotherKeyIs401() throws Exception {
        assertThat(call(secured(), token(signingKey, claims -> claims.issuer("https://attacker.example/pool")))
                        .getResponse()
                        .getStatus())
                .isEqualTo(401);
        assertThat(call(secured(), token(strangerKey, claims -> {}))
                        .getResponse()
                        .getStatus())
                .isEqualTo(401);
        assertThat(call(secured(), "not-a-jwt").getResponse().getStatus()).isEqualTo(401);
    }

    @Test
    void anIdTokenIsNotAnAccessToken() throws Exception {
        assertThat(call(secured(), token(signingKey, claims -> claims.claim("token_use", "id")))
                        .getResponse()
                        .getStatus())
                .isEqualTo(401);
    }

    @Test
    void aValidTokenWithoutTheScopeIs403Problem() throws Exception {
        var result = call(secured(), token(signingKey, claims -> claims.claim("scope", "decoupled-api/read")));
        assertThat(result.getResponse().getStatus()).isEqualTo(403);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
    }

    @Test
    void aValidCognitoStyleAccessTokenReachesTheApi() throws Exception {
        var result = call(secured(), token(signingKey, claims -> {}));
        assertThat(result.getResponse().getStatus()).isEqualTo(201);
        assertThat(result.getResponse().getContentAsString()).isEqualTo("placed");
    }

    @Test
    void aTokenWhoseAudienceIsAcceptedReachesTheApi() throws Exception {
        var result = call(
                secured(),
                token(
                        signingKey,
                        claims -> claims.claim("client_id", null)
                                .claim("token_use", null)
                                .audience(CLIENT)));
        assertThat(result.getResponse().getStatus()).isEqualTo(201);
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        assertThat(status(secured(), get("/actuator/health"))).isEqualTo(200);
    }

    @Test
    void headerValuesAreTheApisToValidateNotTheFirewalls() throws Exception {
        // the API answers a bad header with a 400 naming it; the firewall must not turn it into a 500 first
        assertThat(status(mvc("api.security.enabled=false"), post("/orders").header("Idempotency-Key", "\u00e9\uFFFD")))
                .isEqualTo(201);
    }

    @Test
    void anEncodedDotInThePathIsA400Problem() throws Exception {
        var result = mvc("api.security.enabled=false")
                .perform(post(URI.create("/orders/%2e%2e/admin")))
                .andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(400);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
    }

    @Test
    void byDefaultNothingIsAsked() throws Exception {
        var open = mvc("api.security.enabled=false");
        assertThat(status(open, post("/orders"))).isEqualTo(201);
    }

    @Test
    void switchedOnWithoutIssuerOrAudienceIsAConfigurationError() {
        assertThat(new ApiSecurityProperties(true, null, null, List.of(CLIENT), null, Duration.ofSeconds(30))
                        .isComplete())
                .isFalse();
        assertThat(new ApiSecurityProperties(true, URI.create(issuer), null, List.of(), null, Duration.ofSeconds(30))
                        .isComplete())
                .isFalse();
        assertThat(new ApiSecurityProperties(false, null, null, List.of(), null, Duration.ofSeconds(30)).isComplete())
                .isTrue();
    }

    private MockMvc secured() {
        return mvc(
                "api.security.enabled=true",
                "api.security.issuer-uri=" + issuer,
                "api.security.audiences=" + CLIENT,
                "api.security.scope=" + SCOPE);
    }

    private MockMvc mvc(String... properties) {
        context = new AnnotationConfigWebApplicationContext();
        context.setServletContext(new MockServletContext());
        TestPropertyValues.of(properties).applyTo(context);
        context.register(SecuredProbe.class);
        context.refresh();
        return MockMvcBuilders.webAppContextSetup(context)
                .addFilters(context.getBean("springSecurityFilterChain", Filter.class))
                .build();
    }

    private static MvcResult call(MockMvc mvc, String token) throws Exception {
        return mvc.perform(post("/orders").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andReturn();
    }

    private static int status(MockMvc mvc, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse().getStatus();
    }

    /** A Cognito client-credentials access token (client_id, scope, token_use), changed by {@code change}. */
    private static String token(RSAKey key, Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        var claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(CLIENT)
                .claim("client_id", CLIENT)
                .claim("token_use", "access")
                .claim("scope", SCOPE)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))));
        change.accept(claims);
        var jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    @EnableConfigurationProperties(ApiSecurityProperties.class)
    @Import({ApiSecurityConfiguration.class, Probe.class})
    static class SecuredProbe {}

    /** Stands in for the API's controllers: the chain decides by path, before any controller runs. */
    @RestController
    static class Probe {
        @PostMapping("/orders")
        ResponseEntity<String> place() {
            return ResponseEntity.status(201).body("placed");
        }

        @GetMapping("/orders/{id}")
        String read() {
            return "order";
        }

        @GetMapping("/actuator/health")
        String health() {
            return "UP";
        }
    }
}
