package io.decoupled.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The application reports healthy and serves its OpenAPI description. Runs in the integration tests' shared
 * context (database and emulators up) rather than a context of its own: one Spring context per JVM keeps the
 * module's build inside its time budget on a two-core machine.
 */
class OrderApplicationIT extends OrderServiceITSupport {

    @Test
    void reportsHealthyOnActuator() {
        assertThat(mvc.get().uri("/actuator/health"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.status")
                .isEqualTo("UP");
    }

    @Test
    void servesItsOpenApiDescription() {
        assertThat(mvc.get().uri("/v3/api-docs"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.paths['/orders'].post.parameters[0].name")
                .isEqualTo("Idempotency-Key");
    }
}
