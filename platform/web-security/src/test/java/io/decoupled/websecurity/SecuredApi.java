package io.decoupled.websecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockServletContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * Test kit (the module's test-jar): a service's security configuration, as the service wires it, against real tokens.
 * An RSA key generated for the test class signs them, and a loopback server publishes its public half as the issuer's
 * JWKS, exactly as Cognito does. A probe controller answers every path with "reached", so what a test sees is the
 * chain's decision alone, and a service's test needs nothing of its controllers. Register it in a static
 * {@code @RegisterExtension} field with the service's configuration class (the one that imports
 * {@link ApiSecurityConfiguration} and declares its {@link ProtectedPaths}).
 */
public final class SecuredApi implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    /** The client the tokens are issued to, and the accepted audience of {@link #secured()}. */
    public static final String CLIENT = "load-generator-client";
    /** The scope {@link #secured()} requires and a {@link #token} carries unless changed. */
    public static final String SCOPE = "decoupled-api/write";

    private final Class<?> serviceSecurity;
    private final List<AnnotationConfigWebApplicationContext> contexts = new ArrayList<>();
    private RSAKey signingKey;
    private RSAKey strangerKey;
    private HttpServer jwks;
    private String issuer;

    private SecuredApi(Class<?> serviceSecurity) {
        this.serviceSecurity = serviceSecurity;
    }

    /** @param serviceSecurity the service's configuration that imports the chain and names its protected paths */
    public static SecuredApi of(Class<?> serviceSecurity) {
        return new SecuredApi(serviceSecurity);
    }

    @Override
    public void beforeAll(ExtensionContext extension) throws Exception {
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

    @Override
    public void afterEach(ExtensionContext extension) {
        contexts.forEach(AnnotationConfigWebApplicationContext::close);
        contexts.clear();
    }

    @Override
    public void afterAll(ExtensionContext extension) {
        jwks.stop(0);
    }

    /** The issuer's URI: {@code iss} of the tokens, and where its JWKS is. */
    public String issuer() {
        return issuer;
    }

    /** Authentication on: this issuer, {@link #CLIENT} as the audience, {@link #SCOPE} required. */
    public MockMvc secured() {
        return mvc(
                "api.security.enabled=true",
                "api.security.issuer-uri=" + issuer,
                "api.security.audiences=" + CLIENT,
                "api.security.scope=" + SCOPE);
    }

    /** The service's chain with these {@code api.security.*} properties, closed after the test. */
    public MockMvc mvc(String... properties) {
        var context = new AnnotationConfigWebApplicationContext();
        contexts.add(context);
        context.setServletContext(new MockServletContext());
        TestPropertyValues.of(properties).applyTo(context);
        context.register(ProbeApi.class, serviceSecurity);
        context.refresh();
        return MockMvcBuilders.webAppContextSetup(context)
                .addFilters(context.getBean("springSecurityFilterChain", Filter.class))
                .build();
    }

    /** A Cognito client-credentials access token (client_id, scope, token_use) of this issuer, changed by {@code change}. */
    public String token(Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        return sign(signingKey, change);
    }

    /** The same token, signed with a key the issuer does not publish. */
    public String tokenSignedByAStranger() throws JOSEException {
        return sign(strangerKey, claims -> {});
    }

    /**
     * Each endpoint ("METHOD /path") of the {@link #secured()} chain: without a token a 401, with a valid token that
     * lacks the scope a 403, and with a valid token it reaches the application.
     */
    public void assertProtected(String... endpoints) throws Exception {
        var mvc = secured();
        var valid = token(claims -> {});
        var withoutScope = token(claims -> claims.claim("scope", "decoupled-api/read"));
        for (var endpoint : endpoints) {
            assertThat(perform(mvc, endpoint, null).getResponse().getStatus())
                    .as("%s without a token", endpoint)
                    .isEqualTo(401);
            assertThat(perform(mvc, endpoint, withoutScope).getResponse().getStatus())
                    .as("%s with a token without the scope", endpoint)
                    .isEqualTo(403);
            assertThat(perform(mvc, endpoint, valid).getResponse().getContentAsString())
                    .as("%s with a valid token", endpoint)
                    .isEqualTo(Probe.REACHED);
        }
    }

    /** Each endpoint ("METHOD /path") of the {@link #secured()} chain reaches the application without a token. */
    public void assertOpen(String... endpoints) throws Exception {
        var mvc = secured();
        for (var endpoint : endpoints) {
            assertThat(perform(mvc, endpoint, null).getResponse().getContentAsString())
                    .as("%s without a token", endpoint)
                    .isEqualTo(Probe.REACHED);
        }
    }

    /** "METHOD /path" with {@code token} as the bearer token, or none if null. */
    public static MvcResult perform(MockMvc mvc, String endpoint, String token) throws Exception {
        var parts = endpoint.split(" ", 2);
        MockHttpServletRequestBuilder request = request(HttpMethod.valueOf(parts[0]), parts[1]);
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return mvc.perform(request).andReturn();
    }

    private String sign(RSAKey key, Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
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
    @Import(Probe.class)
    static class ProbeApi {}

    /** Stands in for the API's controllers: the chain decides by path, before any controller runs. */
    @RestController
    static class Probe {
        static final String REACHED = "reached";

        @RequestMapping("/**")
        String any() {
            return REACHED;
        }
    }
}
