package io.decoupled.websecurity;

import static io.decoupled.websecurity.SecuredApi.CLIENT;
import static io.decoupled.websecurity.SecuredApi.perform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The shared security chain with real tokens (see {@link SecuredApi}), once for every service. Deny cases first: no
 * token, expired, another audience, another issuer, another key, an ID token, a missing scope; then the tokens that
 * pass, the paths a service did not name, and the default (authentication off), where nothing is asked. Each service
 * proves with the same kit that its own endpoints are among the protected paths.
 */
class ApiSecurityConfigurationTest {
    @RegisterExtension
    static final SecuredApi api = SecuredApi.of(ProbeSecurity.class);

    @Test
    void withoutATokenTheApiAnswers401ProblemAndNamesTheScheme() throws Exception {
        var result = perform(api.secured(), "POST /api", null);
        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
        assertThat(result.getResponse().getContentAsString()).contains("\"status\":401", "Authorization: Bearer");
        assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    }

    @Test
    void readsNeedATokenToo() throws Exception {
        assertThat(perform(api.secured(), "GET /api/42", null).getResponse().getStatus())
                .isEqualTo(401);
    }

    @Test
    void everyPatternTheServiceNamesIsProtectedAndNothingElse() throws Exception {
        api.assertProtected("POST /api", "GET /api/42", "PUT /other/x/y");
        api.assertOpen("GET /actuator/health", "GET /apis", "GET /v3/api-docs");
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        var expired = api.token(
                claims -> claims.expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5)))));
        var result = call(api.secured(), expired);
        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).contains("invalid_token");
    }

    @Test
    void aTokenForAnotherAudienceIs401() throws Exception {
        var secured = api.secured();
        assertThat(status(secured, api.token(claims -> claims.claim("client_id", "another-app"))))
                .isEqualTo(401);
        assertThat(status(
                        secured,
                        api.token(claims -> claims.claim("client_id", null).audience("another-api"))))
                .isEqualTo(401);
    }

    @Test
    void aTokenOfAnotherIssuerOrSignedWithAnotherKeyIs401() throws Exception {
        var secured = api.secured();
        assertThat(status(secured, api.token(claims -> claims.issuer("https://attacker.example/pool"))))
                .isEqualTo(401);
        assertThat(status(secured, api.tokenSignedByAStranger())).isEqualTo(401);
        assertThat(status(secured, "not-a-jwt")).isEqualTo(401);
    }

    @Test
    void anIdTokenIsNotAnAccessToken() throws Exception {
        assertThat(status(api.secured(), api.token(claims -> claims.claim("token_use", "id"))))
                .isEqualTo(401);
    }

    @Test
    void aValidTokenWithoutTheScopeIs403Problem() throws Exception {
        var result = call(api.secured(), api.token(claims -> claims.claim("scope", "decoupled-api/read")));
        assertThat(result.getResponse().getStatus()).isEqualTo(403);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
    }

    @Test
    void aValidCognitoStyleAccessTokenReachesTheApi() throws Exception {
        var result = call(api.secured(), api.token(claims -> {}));
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(result.getResponse().getContentAsString()).isEqualTo("reached");
    }

    @Test
    void aTokenWhoseAudienceIsAcceptedReachesTheApi() throws Exception {
        var token = api.token(claims ->
                claims.claim("client_id", null).claim("token_use", null).audience(CLIENT));
        assertThat(status(api.secured(), token)).isEqualTo(200);
    }

    @Test
    void withoutARequiredScopeAnyValidTokenReachesTheApi() throws Exception {
        var anyScope = api.mvc(
                "api.security.enabled=true",
                "api.security.issuer-uri=" + api.issuer(),
                "api.security.audiences=" + CLIENT);
        assertThat(status(anyScope, api.token(claims -> claims.claim("scope", "decoupled-api/read"))))
                .isEqualTo(200);
        assertThat(perform(anyScope, "POST /api", null).getResponse().getStatus())
                .isEqualTo(401);
    }

    @Test
    void headerValuesAreTheApisToValidateNotTheFirewalls() throws Exception {
        // the API answers a bad header with a 400 naming it; the firewall must not turn it into a 500 first
        var result = api.mvc("api.security.enabled=false")
                .perform(post("/api").header("Idempotency-Key", "\u00e9\uFFFD"))
                .andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void anEncodedDotInThePathIsA400Problem() throws Exception {
        var result = api.mvc("api.security.enabled=false")
                .perform(post(URI.create("/api/%2e%2e/admin")))
                .andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(400);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
    }

    @Test
    void byDefaultNothingIsAsked() throws Exception {
        assertThat(perform(api.mvc(), "POST /api", null).getResponse().getStatus())
                .isEqualTo(200);
    }

    @Test
    void switchedOnWithoutIssuerOrAudienceIsAConfigurationError() {
        assertThat(new ApiSecurityProperties(true, null, null, List.of(CLIENT), null, Duration.ofSeconds(30))
                        .isComplete())
                .isFalse();
        assertThat(new ApiSecurityProperties(
                                true, URI.create(api.issuer()), null, List.of(), null, Duration.ofSeconds(30))
                        .isComplete())
                .isFalse();
        assertThat(new ApiSecurityProperties(false, null, null, List.of(), null, Duration.ofSeconds(30)).isComplete())
                .isTrue();
    }

    private static MvcResult call(MockMvc mvc, String token) throws Exception {
        return perform(mvc, "POST /api", token);
    }

    private static int status(MockMvc mvc, String token) throws Exception {
        return call(mvc, token).getResponse().getStatus();
    }

    /** A service's side of the wiring, as order-service and click-ingest-service write theirs. */
    @Configuration(proxyBeanMethods = false)
    @Import(ApiSecurityConfiguration.class)
    static class ProbeSecurity {
        @Bean
        ProtectedPaths protectedPaths() {
            return new ProtectedPaths(List.of("/api/**", "/other/**"));
        }
    }
}
