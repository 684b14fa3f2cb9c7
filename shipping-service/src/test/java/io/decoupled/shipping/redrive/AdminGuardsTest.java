package io.decoupled.shipping.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

/** The admin API's guards in front of the token check: its switch, its rate limit, and its token when none is given. */
class AdminGuardsTest {

    @Test
    void aSwitchedOffAdminApiIs404ProblemEvenWithTheToken() throws Exception {
        var request = new MockHttpServletRequest("POST", "/admin/dlq/redrive");
        request.addHeader("Authorization", "Bearer whatever-the-token-is");
        var response = new MockHttpServletResponse();

        assertThat(new AdminSwitch(false).preHandle(request, response, new Object()))
                .isFalse();
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("switched off");
    }

    @Test
    void aSwitchedOnAdminApiPassesTheRequestOn() throws Exception {
        assertThat(new AdminSwitch(true)
                        .preHandle(
                                new MockHttpServletRequest("GET", "/admin/dlq"),
                                new MockHttpServletResponse(),
                                new Object()))
                .isTrue();
    }

    @Test
    void beyondTheRateTheAdminApiAnswers429ProblemWithRetryAfter() throws Exception {
        var limit = new AdminRateLimit(3);
        for (int i = 0; i < 3; i++) {
            assertThat(limit.preHandle(
                            new MockHttpServletRequest("GET", "/admin/dlq"),
                            new MockHttpServletResponse(),
                            new Object()))
                    .as("request %d of 3", i + 1)
                    .isTrue();
        }
        var response = new MockHttpServletResponse();

        assertThat(limit.preHandle(new MockHttpServletRequest("GET", "/admin/dlq"), response, new Object()))
                .isFalse();
        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"status\":429", "at most 3 requests a second");
    }

    @Test
    void withoutAConfiguredTokenEachStartGetsADifferentLongRandomOne() {
        var none = new AdminProperties(true, null, DataSize.ofKilobytes(128), DataSize.ofKilobytes(16), 20);
        assertThat(none.configuredToken()).isEmpty();
        var tokens = new HashSet<String>();
        for (int i = 0; i < 100; i++) {
            tokens.add(AdminProperties.generateToken());
        }
        assertThat(tokens)
                .hasSize(100)
                .allSatisfy(token -> assertThat(token).hasSize(40).matches("[0-9a-f]+"));
        assertThat(new AdminProperties(true, "  ", DataSize.ofKilobytes(128), DataSize.ofKilobytes(16), 20)
                        .configuredToken())
                .isEmpty();
    }

    @Test
    void theTokenCheckRefusesAWrongTokenAndAcceptsTheRightOne() throws Exception {
        var check = new AdminTokenInterceptor("a-token-of-this-run-0123");
        var wrong = new MockHttpServletRequest("GET", "/admin/dlq");
        wrong.addHeader("Authorization", "Bearer local-admin-token");
        var refused = new MockHttpServletResponse();
        assertThat(check.preHandle(wrong, refused, new Object())).isFalse();
        assertThat(refused.getStatus()).isEqualTo(401);

        var right = new MockHttpServletRequest("GET", "/admin/dlq");
        right.addHeader("Authorization", "Bearer a-token-of-this-run-0123");
        assertThat(check.preHandle(right, new MockHttpServletResponse(), new Object()))
                .isTrue();
    }
}
