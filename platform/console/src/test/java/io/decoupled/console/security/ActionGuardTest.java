package io.decoupled.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The deny cases first: what a cross-site page, a foreign origin or a caller without the token gets. */
class ActionGuardTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @Test
    void theProcessFaultSwitchesAreRefusedCrossSiteLikeEveryOtherAction() throws Exception {
        for (var method : new String[][] {
            {"PUT", "/api/faults/analytics-database-outage"},
            {"DELETE", "/api/faults/analytics-database-outage"},
            {"POST", "/api/faults/shipping-kill"}
        }) {
            var request = post(method[1]);
            request.setMethod(method[0]);
            request.addHeader("Sec-Fetch-Site", "cross-site");
            assertThat(run(new ActionGuard(Optional.empty()), request).getStatus())
                    .as(method[0] + " " + method[1])
                    .isEqualTo(403);
        }
    }

    @Test
    void aPostThatTheBrowserMarksCrossSiteIsRefused() throws Exception {
        var request = post("/api/actions/poison");
        request.addHeader("Sec-Fetch-Site", "cross-site");
        var response = run(new ActionGuard(Optional.empty()), request);
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("cross-site").doesNotContain("Exception");
    }

    @Test
    void aPostFromAnotherOriginIsRefused() throws Exception {
        var request = post("/api/load");
        request.setMethod("PUT");
        request.addHeader("Origin", "http://evil.example:8080");
        assertThat(run(new ActionGuard(Optional.empty()), request).getStatus()).isEqualTo(403);

        var samePortOtherHost = post("/api/actions/burst");
        samePortOtherHost.addHeader("Origin", "http://127.0.0.2:8080");
        assertThat(run(new ActionGuard(Optional.empty()), samePortOtherHost).getStatus())
                .isEqualTo(403);

        var garbage = post("/api/actions/burst");
        garbage.addHeader("Origin", "not a url \u0000\u0001");
        var response = run(new ActionGuard(Optional.empty()), garbage);
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentAsString()).doesNotContain("\u0000");
    }

    @Test
    void withATokenAnActionWithoutItOrWithAnotherIsUnauthorized() throws Exception {
        var guard = new ActionGuard(Optional.of(TOKEN));
        var none = post("/api/actions/redrive");
        var response = run(guard, none);
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");

        var wrong = post("/api/actions/redrive");
        wrong.addHeader("Authorization", "Bearer " + TOKEN.substring(1) + "x");
        assertThat(run(guard, wrong).getStatus()).isEqualTo(401);

        var basic = post("/api/actions/redrive");
        basic.addHeader("Authorization", "Basic " + TOKEN);
        assertThat(run(guard, basic).getStatus()).isEqualTo(401);
    }

    @Test
    void aSameOriginActionPassesAndWithATokenOnlyWithTheRightOne() throws Exception {
        var request = post("/api/actions/burst");
        request.addHeader("Sec-Fetch-Site", "same-origin");
        request.addHeader("Origin", "http://localhost:8080");
        assertThat(passes(new ActionGuard(Optional.empty()), request)).isTrue();

        var withToken = post("/api/actions/burst");
        withToken.addHeader("Origin", "http://localhost:8080");
        withToken.addHeader("Authorization", "Bearer " + TOKEN);
        assertThat(passes(new ActionGuard(Optional.of(TOKEN)), withToken)).isTrue();
    }

    @Test
    void readsAndPagesAreNotGuarded() throws Exception {
        var read = new MockHttpServletRequest("GET", "/api/dashboard");
        read.addHeader("Sec-Fetch-Site", "cross-site");
        assertThat(passes(new ActionGuard(Optional.of(TOKEN)), read)).isTrue();
    }

    @Test
    void aConsoleBeyondLoopbackGetsATokenAndOnLoopbackNoneUnlessConfigured() {
        assertThat(SecurityConfiguration.requiredToken(new ConsoleSecurityProperties(null), "127.0.0.1"))
                .isEmpty();
        assertThat(SecurityConfiguration.requiredToken(new ConsoleSecurityProperties(""), "::1"))
                .isEmpty();
        assertThat(SecurityConfiguration.requiredToken(new ConsoleSecurityProperties(null), "0.0.0.0"))
                .get()
                .asString()
                .hasSize(48);
        assertThat(SecurityConfiguration.requiredToken(new ConsoleSecurityProperties(null), ""))
                .as("all interfaces")
                .isPresent();
        assertThat(SecurityConfiguration.requiredToken(new ConsoleSecurityProperties(" mine "), "127.0.0.1"))
                .contains("mine");
    }

    private static MockHttpServletRequest post(String path) {
        var request = new MockHttpServletRequest("POST", path);
        request.setServerName("localhost");
        request.setServerPort(8080);
        request.addHeader("Host", "localhost:8080");
        return request;
    }

    private static MockHttpServletResponse run(ActionGuard guard, MockHttpServletRequest request) throws Exception {
        var response = new MockHttpServletResponse();
        guard.doFilter(request, response, new MockFilterChain());
        return response;
    }

    private static boolean passes(ActionGuard guard, MockHttpServletRequest request) throws Exception {
        var response = new MockHttpServletResponse();
        var chain = new MockFilterChain();
        guard.doFilter(request, response, chain);
        return chain.getRequest() != null && response.getStatus() == 200;
    }
}
