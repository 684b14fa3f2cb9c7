package io.decoupled.analytics.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import io.decoupled.analytics.kcl.KclWorker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * The answers of every analytics endpoint (orders, funnel, deliveries, clicks) as {@link ApiProblems} shapes them,
 * without a database: bad parameters are a 400 naming the parameter, an unknown path a 404, a wrong method a 405, a
 * failure a 500 without internals, all problem+json. The controllers and the read models behind them are real; the
 * JdbcTemplate they all read through is the mock. AnalyticsEndpointFuzzIT checks the same over real HTTP and
 * PostgreSQL; this slice fails in seconds when a mapping breaks.
 */
@WebMvcTest(
        includeFilters =
                @ComponentScan.Filter(
                        type = FilterType.REGEX,
                        pattern =
                                "io\\.decoupled\\.analytics\\.(orders\\.OrderFacts|shipments\\.DeliveryTimes|clicks\\.ClickAggregates)"))
class ApiProblemsTest {
    private static final List<String> ENDPOINTS = List.of(
            "/analytics/orders",
            "/analytics/orders/high-value",
            "/analytics/funnel",
            "/analytics/deliveries",
            "/analytics/clicks",
            "/analytics/clicks/pages",
            "/analytics/sessions/active");

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    JdbcTemplate jdbc;

    /** The clickstream consumer's status endpoint reads the worker; KclStatusTest covers what it says. */
    @MockitoBean
    KclWorker kclWorker;

    @Test
    void everyEndpointAnswers200WithValidParameters() {
        given(jdbc.queryForObject(anyString(), eq(Long.class), any(Object[].class)))
                .willReturn(4L);
        for (var endpoint : ENDPOINTS) {
            assertThat(mvc.get().uri(endpoint)).as(endpoint).hasStatus(HttpStatus.OK);
        }
        assertThat(mvc.get().uri("/analytics/clicks/pages?minutes=1440&limit=5000"))
                .hasStatus(HttpStatus.OK);
        assertThat(mvc.get().uri("/analytics/sessions/active?minutes=30"))
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .extractingPath("$.activeSessions")
                .isEqualTo(4);
    }

    @Test
    void aParameterOutOfRangeIsA400ProblemNamingIt() {
        var cases = Map.of(
                "/analytics/clicks/pages?minutes=0",
                "minutes",
                "/analytics/clicks/pages?minutes=1441",
                "minutes",
                "/analytics/clicks/pages?limit=0",
                "limit",
                "/analytics/clicks/pages?limit=5001",
                "limit",
                "/analytics/sessions/active?minutes=-1",
                "minutes",
                "/analytics/sessions/active?minutes=1441",
                "minutes");
        for (var c : cases.entrySet()) {
            assertThat(mvc.get().uri(c.getKey()))
                    .as(c.getKey())
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.errors[0].parameter")
                    .isEqualTo(c.getValue());
        }
        assertThat(mvc.get().uri("/analytics/clicks/pages?minutes=0&limit=5001"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("Parameter 'minutes' must be greater than or equal to 1. "
                        + "Parameter 'limit' must be less than or equal to 5000.");
        verifyNoInteractions(jdbc);
    }

    @Test
    void aParameterThatIsNotANumberIsA400ProblemNamingIt() {
        assertThat(mvc.get().uri("/analytics/clicks/pages?limit=ten"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("Parameter 'limit' must be a whole number; got 'ten'.");
        assertThat(mvc.get().uri("/analytics/sessions/active?minutes=1e309"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.title")
                .isEqualTo("Invalid parameter");
        verifyNoInteractions(jdbc);
    }

    @Test
    void aLongOrControlCharacterValueIsQuotedOnlyByAShortPrintablePrefix() {
        var value = "\u001b[2J" + "9".repeat(5000);
        var result =
                mvc.get().uri("/analytics/clicks/pages").param("minutes", value).exchange();
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .doesNotContain("\u001b")
                .doesNotContain("9".repeat(ApiProblems.MAX_QUOTED))
                .hasSizeLessThan(ApiProblems.MAX_QUOTED + 80);
    }

    @Test
    void anUnknownPathIsA404Problem() {
        assertThat(mvc.get().uri("/analytics/nothing-here"))
                .hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.status")
                .isEqualTo(404);
    }

    @Test
    void aWrongMethodIsA405ProblemOnEveryEndpoint() {
        for (var endpoint : ENDPOINTS) {
            assertThat(mvc.post().uri(endpoint))
                    .as(endpoint)
                    .hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .hasHeader("Allow", "GET");
        }
        verifyNoInteractions(jdbc);
    }

    @Test
    void aFailingDatabaseIsA500ProblemWithoutInternals() {
        given(jdbc.queryForObject(anyString(), any(RowMapper.class)))
                .willThrow(new DataAccessResourceFailureException("Connection to 10.0.0.7:5432 refused; secret-host"));
        for (var endpoint :
                List.of("/analytics/orders", "/analytics/funnel", "/analytics/deliveries", "/analytics/clicks")) {
            var result = mvc.get().uri(endpoint).exchange();
            assertThat(result)
                    .as(endpoint)
                    .hasStatus(HttpStatus.INTERNAL_SERVER_ERROR)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.detail")
                    .isEqualTo("An unexpected error occurred; it has been logged.");
            assertThat(result).bodyText().doesNotContain("secret-host").doesNotContain("Exception");
        }
    }

    /** The click report's windows are minutes of this clock; AnalyticsConfiguration's is not part of the slice. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FixedClock {
        @Bean
        Clock clock() {
            return Clock.fixed(Instant.parse("2026-11-27T12:00:30Z"), ZoneOffset.UTC);
        }
    }
}
