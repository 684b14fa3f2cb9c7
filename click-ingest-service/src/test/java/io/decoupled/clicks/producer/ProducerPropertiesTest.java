package io.decoupled.clicks.producer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * A stream name Kinesis would refuse stops the application at startup: otherwise every PutRecords call would be refused
 * as invalid and, since a whole call refused is never a verdict on its records, the clicks would wait for a fix that
 * only a restart brings.
 */
class ProducerPropertiesTest {
    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProducerProperties.class)
    static class Settings {}

    @Test
    void theDefaultStreamAndValidNamesBind() {
        context.run(
                c -> assertThat(c.getBean(ProducerProperties.class).stream()).isEqualTo("clickstream"));
        context.withPropertyValues("clickstream.producer.stream=Prod-clickstream_2.a")
                .run(c ->
                        assertThat(c.getBean(ProducerProperties.class).stream()).isEqualTo("Prod-clickstream_2.a"));
    }

    @Test
    void aStreamNameKinesisWouldRefuseFailsAtStartup() {
        for (var invalid : new String[] {
            "clickstream.producer.stream=",
            "clickstream.producer.stream=click stream",
            "clickstream.producer.stream=arn:aws:kinesis:eu-west-1:123456789012:stream/clickstream",
            "clickstream.producer.stream=" + "s".repeat(129)
        }) {
            context.withPropertyValues(invalid)
                    .run(c -> assertThat(c).as(invalid).hasFailed());
        }
    }
}
