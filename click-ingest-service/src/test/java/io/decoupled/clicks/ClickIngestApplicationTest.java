package io.decoupled.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** Starts without any AWS endpoint: the Kinesis client is only used once a click arrives. */
@SpringBootTest(properties = {"spring.cloud.aws.region.static=us-east-1", "spring.cloud.aws.credentials.access-key=none",
        "spring.cloud.aws.credentials.secret-key=none"})
@AutoConfigureMockMvc
class ClickIngestApplicationTest {
    @Autowired
    MockMvcTester mvc;

    @Test
    void reportsHealthyOnActuator() {
        assertThat(mvc.get().uri("/actuator/health")).hasStatusOk().bodyJson().extractingPath("$.status").isEqualTo("UP");
    }

    @Test
    void exposesTheProducerMetrics() {
        assertThat(mvc.get().uri("/actuator/metrics/clickstream.producer.buffer.fill")).hasStatusOk();
        assertThat(mvc.get().uri("/actuator/metrics/clickstream.producer.batch.records")).hasStatusOk();
    }
}
