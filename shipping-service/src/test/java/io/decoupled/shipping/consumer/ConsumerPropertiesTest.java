package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** Settings bind with sensible defaults, and settings SQS would reject stop the application at startup. */
class ConsumerPropertiesTest {
    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ConsumerProperties.class)
    static class Settings {}

    @Test
    void defaultsAreLongPollingBatchesOfTenWithTheHeartbeatOn() {
        context.run(c -> {
            var settings = c.getBean(ConsumerProperties.class);
            assertThat(settings.queue()).isEqualTo("shipping-orders");
            assertThat(settings.batchSize()).isEqualTo(10);
            assertThat(settings.waitTime()).isEqualTo(Duration.ofSeconds(20));
            assertThat(settings.heartbeat().enabled()).isTrue();
            assertThat(settings.heartbeat().extension()).isNull();
            assertThat(settings.retry().initialBackoff()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void settingsSqsWouldRejectFailAtStartup() {
        for (var invalid : new String[] {
            "shipping.consumer.batch-size=11",
            "shipping.consumer.wait-time=21s",
            "shipping.consumer.retry.initial-backoff=500ms",
            "shipping.consumer.heartbeat.max-visibility=13h",
            "shipping.consumer.workers=-1",
            "shipping.consumer.queue="
        }) {
            context.withPropertyValues(invalid)
                    .run(c -> assertThat(c).as(invalid).hasFailed());
        }
    }
}
