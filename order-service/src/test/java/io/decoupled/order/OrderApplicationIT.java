package io.decoupled.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.localaws.LocalPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The application starts on its database alone (no AWS reachable) and reports healthy; the relay and listener are off. */
@SpringBootTest(properties = {
        "order.outbox.relay.enabled=false",
        "spring.cloud.aws.sqs.listener.auto-startup=false",
        "spring.cloud.aws.region.static=us-east-1",
        "spring.cloud.aws.credentials.access-key=test",
        "spring.cloud.aws.credentials.secret-key=test"})
@AutoConfigureMockMvc
class OrderApplicationTest {
    @Autowired
    MockMvcTester mvc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        LocalPostgres.shared().springProperties("orders_health").forEach((k, v) -> registry.add(k, () -> v));
    }

    @Test
    void reportsHealthyOnActuator() {
        assertThat(mvc.get().uri("/actuator/health")).hasStatusOk().bodyJson().extractingPath("$.status").isEqualTo("UP");
    }

    @Test
    void servesItsOpenApiDescription() {
        assertThat(mvc.get().uri("/v3/api-docs")).hasStatusOk().bodyJson()
                .extractingPath("$.paths['/orders'].post.parameters[0].name").isEqualTo("Idempotency-Key");
    }
}
