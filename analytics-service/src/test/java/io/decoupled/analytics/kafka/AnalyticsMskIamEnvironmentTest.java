package io.decoupled.analytics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The settings Boot's Kafka clients get with and without {@code analytics.clickstream.kafka.msk-iam}, and that kafka-clients takes them. */
class AnalyticsMskIamEnvironmentTest {

    private static final Map<String, Object> IAM = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "AWS_MSK_IAM",
            "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
            "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");

    @Test
    void offByDefaultTheClientsArePlainAsTheLocalBrokers() {
        var kafka = kafkaProperties(Map.of());
        assertThat(kafka.buildConsumerProperties())
                .doesNotContainKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
    }

    @Test
    void switchedOnTheConsumerAuthenticatesWithIamOverTls() {
        var kafka = kafkaProperties(Map.of(
                "analytics.clickstream.kafka.msk-iam", "true", "spring.kafka.bootstrap-servers", "b-1.example:9098"));
        assertThat(kafka.buildConsumerProperties()).containsAllEntriesOf(IAM).containsKey("bootstrap.servers");
    }

    @Test
    void anExplicitSpringKafkaSettingStillWins() {
        var kafka = kafkaProperties(
                Map.of("analytics.clickstream.kafka.msk-iam", "true", "spring.kafka.security.protocol", "SSL"));
        assertThat(kafka.buildConsumerProperties())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM");
    }

    @Test
    void kafkaClientsLoadsThePluginsLoginModuleAndCallbackHandler() {
        var settings =
                new HashMap<String, Object>(kafkaProperties(Map.of("analytics.clickstream.kafka.msk-iam", "true"))
                        .buildConsumerProperties());
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // The constructor builds the SASL channel: it logs in with the plugin's module and configures its callback
        // handler,
        // and fails here if either is missing or incompatible with this kafka-clients. No connection is needed for
        // that.
        try (var consumer = new KafkaConsumer<byte[], byte[]>(settings)) {
            assertThat(consumer.metrics()).isNotEmpty();
        }
    }

    @Test
    void bootRunsItOnEveryStartBecauseSpringFactoriesNamesIt() {
        // A bare application (no auto-configuration): only the environment post-processors and the configuration files.
        var application = new SpringApplication(Bare.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (var context = application.run("--analytics.clickstream.kafka.msk-iam=true")) {
            assertThat(context.getEnvironment().getProperty("spring.kafka.security.protocol"))
                    .isEqualTo("SASL_SSL");
            assertThat(context.getEnvironment().getProperty("spring.kafka.properties[sasl.mechanism]"))
                    .isEqualTo("AWS_MSK_IAM");
        }
        try (var context = application.run()) {
            assertThat(context.getEnvironment().getProperty("spring.kafka.security.protocol"))
                    .isNull();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Bare {}

    private static KafkaProperties kafkaProperties(Map<String, Object> given) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("given", given));
        new MskIamEnvironment().postProcessEnvironment(environment, new SpringApplication());
        return Binder.get(environment)
                .bind("spring.kafka", KafkaProperties.class)
                .orElseGet(KafkaProperties::new);
    }
}
