package io.decoupled.clicks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The settings Boot's Kafka clients get with and without {@code clickstream.kafka.msk-iam}, and that kafka-clients takes them. */
class ClickIngestMskIamEnvironmentTest {

    private static final Map<String, Object> IAM = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "AWS_MSK_IAM",
            "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
            "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");

    @Test
    void offByDefaultTheClientsArePlainAsTheLocalBrokers() {
        var kafka = kafkaProperties(Map.of());
        assertThat(kafka.buildProducerProperties())
                .doesNotContainKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
        assertThat(kafka.buildAdminProperties()).doesNotContainKeys("security.protocol", "sasl.mechanism");
    }

    @Test
    void switchedOnTheProducerAndTheAdminAuthenticateWithIamOverTls() {
        var kafka = kafkaProperties(
                Map.of("clickstream.kafka.msk-iam", "true", "spring.kafka.bootstrap-servers", "b-1.example:9098"));
        assertThat(kafka.buildProducerProperties()).containsAllEntriesOf(IAM).containsKey("bootstrap.servers");
        assertThat(kafka.buildAdminProperties()).containsAllEntriesOf(IAM);
    }

    @Test
    void anExplicitSpringKafkaSettingStillWins() {
        var kafka =
                kafkaProperties(Map.of("clickstream.kafka.msk-iam", "true", "spring.kafka.security.protocol", "SSL"));
        assertThat(kafka.buildProducerProperties())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM");
    }

    @Test
    void kafkaClientsLoadsThePluginsLoginModuleAndCallbackHandler() {
        var settings = new HashMap<String, Object>(
                kafkaProperties(Map.of("clickstream.kafka.msk-iam", "true")).buildProducerProperties());
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // The constructor builds the SASL channel: it logs in with the plugin's module and configures its callback
        // handler,
        // and fails here if either is missing or incompatible with this kafka-clients. No connection is needed for
        // that.
        try (var producer = new KafkaProducer<String, byte[]>(settings)) {
            assertThat(producer.metrics()).isNotEmpty();
            producer.close(Duration.ZERO);
        }
    }

    @Test
    void bootRunsItOnEveryStartBecauseSpringFactoriesNamesIt() {
        // A bare application (no auto-configuration): only the environment post-processors and the configuration files.
        var application = new SpringApplication(Bare.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (var context = application.run("--clickstream.kafka.msk-iam=true")) {
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
