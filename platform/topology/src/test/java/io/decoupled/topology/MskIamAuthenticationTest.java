package io.decoupled.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MskIamAuthenticationTest {

    @Test
    void clientsUseTlsAndTheIamMechanismWithThePluginsLoginModuleAndCallbackHandler() {
        assertThat(MskIamAuthentication.clientProperties())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "AWS_MSK_IAM",
                        "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                        "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
    }

    @Test
    void asBootPropertiesTheProtocolIsBootsOwnSettingAndTheRestArePassedThroughToEveryClient() {
        assertThat(MskIamAuthentication.springKafkaProperties())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "spring.kafka.security.protocol", "SASL_SSL",
                        "spring.kafka.properties[sasl.mechanism]", "AWS_MSK_IAM",
                        "spring.kafka.properties[sasl.jaas.config]",
                                "software.amazon.msk.auth.iam.IAMLoginModule required;",
                        "spring.kafka.properties[sasl.client.callback.handler.class]",
                                "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
    }
}
