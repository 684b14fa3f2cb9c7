package io.decoupled.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeploymentSettingsTest {

    private static final Path ROOT = Path.of("/repo");

    @Test
    void noContextGivesTheDocumentedDefaults() {
        var settings = DeploymentSettings.from(key -> null, name -> null, ROOT);
        assertThat(settings).isEqualTo(DeploymentSettings.defaults(ROOT));
        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.ingressCidr()).isEmpty();
        assertThat(settings.shippingMinTasks()).isEqualTo(1);
        // secure by default: the public write APIs need a token, and no certificate is assumed
        assertThat(settings.apiAuthentication()).isTrue();
        assertThat(settings.certificateArn()).isEmpty();
    }

    @Test
    void contextOverridesTheCliRegionAndEveryDefault() {
        Map<String, Object> context = Map.ofEntries(
                Map.entry("region", "eu-central-1"),
                Map.entry("ingressCidr", "203.0.113.7/32"),
                Map.entry("alarmEmail", "ops@example.com"),
                Map.entry("keepData", "true"),
                Map.entry("certificateArn", SynthesizedSystem.CERTIFICATE),
                Map.entry("shippingMinTasks", "0"),
                Map.entry("shippingMaxTasks", "20"),
                Map.entry("shippingAcceptableLatency", "30s"),
                Map.entry("shippingProcessingTime", "250ms"),
                Map.entry("shippingWorkersPerTask", "8"),
                Map.entry("enhancedFanOut", "true"),
                Map.entry("apiAuthentication", "false"));
        var settings = DeploymentSettings.from(context::get, Map.of("CDK_DEFAULT_REGION", "us-west-2")::get, ROOT);
        assertThat(settings)
                .isEqualTo(new DeploymentSettings(
                        "eu-central-1",
                        Optional.of("203.0.113.7/32"),
                        Optional.of("ops@example.com"),
                        Optional.of(SynthesizedSystem.CERTIFICATE),
                        true,
                        ROOT,
                        0,
                        20,
                        Duration.ofSeconds(30),
                        Duration.ofMillis(250),
                        8,
                        true,
                        false,
                        DeploymentSettings.ClickstreamBroker.KINESIS));
    }

    @Test
    void theClickstreamRunsOnKinesisUnlessKafkaIsChosenWhichRulesOutEnhancedFanOut() {
        assertThat(DeploymentSettings.from(key -> null, key -> null, ROOT).clickstream())
                .isEqualTo(DeploymentSettings.ClickstreamBroker.KINESIS);
        assertThat(DeploymentSettings.from(Map.<String, Object>of("clickstream", "kafka")::get, key -> null, ROOT)
                        .clickstream())
                .isEqualTo(DeploymentSettings.ClickstreamBroker.KAFKA);
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        DeploymentSettings.from(Map.<String, Object>of("clickstream", "rabbit")::get, k -> null, ROOT))
                .withMessageContaining("clickstream must be kinesis or kafka");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeploymentSettings.from(
                        Map.<String, Object>of("clickstream", "kafka", "enhancedFanOut", "true")::get, k -> null, ROOT))
                .withMessageContaining("enhancedFanOut");
    }

    @Test
    void theCliRegionIsUsedWhenTheContextNamesNone() {
        assertThat(DeploymentSettings.from(key -> null, Map.of("CDK_DEFAULT_REGION", "eu-west-1")::get, ROOT)
                        .region())
                .isEqualTo("eu-west-1");
    }

    @Test
    void typosFailTheSynthWithAClearMessage() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeploymentSettings.from(
                        Map.<String, Object>of("ingressCidr", "my laptop")::get, k -> null, ROOT))
                .withMessageContaining("ingressCidr");
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        DeploymentSettings.from(Map.<String, Object>of("region", "Frankfurt")::get, k -> null, ROOT))
                .withMessageContaining("region");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeploymentSettings.from(
                        Map.<String, Object>of("shippingProcessingTime", "fast")::get, k -> null, ROOT))
                .withMessageContaining("not a duration");
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        DeploymentSettings.from(Map.<String, Object>of("alarmEmail", "ops")::get, k -> null, ROOT))
                .withMessageContaining("alarmEmail");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeploymentSettings.from(
                        Map.<String, Object>of("certificateArn", "example.com")::get, k -> null, ROOT))
                .withMessageContaining("certificateArn");
        // a typo must not switch authentication off
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeploymentSettings.from(
                        Map.<String, Object>of("apiAuthentication", "flase")::get, k -> null, ROOT))
                .withMessageContaining("apiAuthentication");
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(DeploymentSettings.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DeploymentSettings.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DeploymentSettings.duration("PT0.1S")).isEqualTo(Duration.ofMillis(100));
    }
}
