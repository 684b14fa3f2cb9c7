package io.decoupled.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

class SnsOutageSwitchTest {

    @Test
    void whileOnEveryCallFailsAsTransientBeforeItLeavesTheProcessAndOffItGoesOut() {
        var outage = new SnsOutageSwitch();
        try (var sns = SnsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:1"))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .overrideConfiguration(
                        c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(outage))
                .build()) {
            outage.set(true);
            assertThatThrownBy(() -> sns.listTopics())
                    .isInstanceOf(SdkClientException.class)
                    .hasMessageContaining("fault switch")
                    .satisfies(e -> assertThat(SnsBatchPublisher.isTransient(e)).isTrue());

            outage.set(false);
            // Off, the call is sent (and fails only because nothing listens on port 1).
            assertThatThrownBy(() -> sns.listTopics())
                    .isInstanceOf(SdkClientException.class)
                    .message()
                    .doesNotContain("fault switch");
        }
    }

    @Test
    void theSwitchExistsOnlyWhenADemoEnablesIt() {
        var runner = new ApplicationContextRunner().withUserConfiguration(DemoFaultsConfiguration.class);

        runner.run(context -> assertThat(context).doesNotHaveBean(SnsOutageSwitch.class));
        runner.withPropertyValues("order.demo.faults-enabled=true")
                .run(context -> assertThat(context)
                        .hasSingleBean(SnsOutageSwitch.class)
                        .hasSingleBean(DemoFaultsConfiguration.SnsOutageController.class));
    }
}
