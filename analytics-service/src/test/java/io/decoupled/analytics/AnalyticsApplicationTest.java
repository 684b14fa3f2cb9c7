package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.localaws.LocalPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * The web side on an empty database (embedded PostgreSQL), with the stream and queue consumers switched
 * off by their properties: health, the aggregate endpoints' shapes, and problem+json for bad parameters.
 */
@SpringBootTest(properties = {"analytics.kcl.enabled=false", "spring.cloud.aws.sqs.enabled=false",
        "spring.cloud.aws.region.static=us-east-1"})
@AutoConfigureMockMvc
class AnalyticsApplicationTest {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        LocalPostgres.shared().springProperties("analytics_web").forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired
    MockMvcTester mvc;

    @Test
    void reportsHealthyOnActuator() {
        assertThat(mvc.get().uri("/actuator/health")).hasStatusOk().bodyJson().extractingPath("$.status").isEqualTo("UP");
    }

    @Test
    void servesEmptyAggregatesBeforeAnyInput() {
        assertThat(mvc.get().uri("/analytics/clicks")).hasStatusOk().bodyJson().extractingPath("$.clicks").isEqualTo(0);
        assertThat(mvc.get().uri("/analytics/funnel")).hasStatusOk().bodyJson().extractingPath("$.conversion").isEqualTo(0.0);
        assertThat(mvc.get().uri("/analytics/deliveries")).hasStatusOk().bodyJson().extractingPath("$.delivered").isEqualTo(0);
        assertThat(mvc.get().uri("/analytics/orders/high-value")).hasStatusOk().bodyJson().extractingPath("$.orders").isEqualTo(0);
        assertThat(mvc.get().uri("/analytics/sessions/active")).hasStatusOk().bodyJson().extractingPath("$.activeSessions").isEqualTo(0);
    }

    @Test
    void outOfRangeAndMalformedParametersAreProblems() {
        assertThat(mvc.get().uri("/analytics/clicks/pages?minutes=100000")).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.get().uri("/analytics/sessions/active?minutes=abc")).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
