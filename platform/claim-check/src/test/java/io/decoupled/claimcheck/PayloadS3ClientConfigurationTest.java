package io.decoupled.claimcheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.awspring.cloud.autoconfigure.AwsSyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.s3.S3ClientCustomizer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The claim check's S3 client, as every service gets it: the {@code spring.cloud.aws.s3.*} settings, the customizers
 * every synchronous client gets (the AWS call counter) and a service's own S3 customizer (the relay's call timeout), the
 * last two together: neither may replace the other's override configuration.
 */
class PayloadS3ClientConfigurationTest {
    private static final ExecutionInterceptor COUNTER = new ExecutionInterceptor() {};

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    AwsAutoConfiguration.class,
                    CredentialsProviderAutoConfiguration.class,
                    RegionProviderAutoConfiguration.class))
            .withUserConfiguration(PayloadS3ClientConfiguration.class)
            .withPropertyValues(
                    "spring.cloud.aws.region.static=eu-west-1",
                    "spring.cloud.aws.credentials.access-key=test",
                    "spring.cloud.aws.credentials.secret-key=test",
                    "spring.cloud.aws.s3.endpoint=http://127.0.0.1:4566",
                    "spring.cloud.aws.s3.path-style-access-enabled=true")
            // What the AWS call counter does to every synchronous client (aws-calls' AwsCallsAutoConfiguration).
            .withBean(AwsSyncClientCustomizer.class, () -> builder -> {
                var sdk = (SdkClientBuilder<?, ?>) builder;
                sdk.overrideConfiguration(sdk.overrideConfiguration().toBuilder()
                        .addExecutionInterceptor(COUNTER)
                        .build());
            });

    @Test
    void theClientHasTheS3SettingsAndTheCustomizersEverySyncClientGets() {
        context.run(context -> {
            var configuration =
                    context.getBean("payloadS3Client", S3Client.class).serviceClientConfiguration();

            assertThat(configuration.region().id()).isEqualTo("eu-west-1");
            assertThat(configuration.endpointOverride()).contains(URI.create("http://127.0.0.1:4566"));
            assertThat(configuration.overrideConfiguration().executionInterceptors())
                    .contains(COUNTER);
            assertThat(configuration.overrideConfiguration().apiCallTimeout()).isEmpty();
        });
    }

    @Test
    void aServicesOwnS3CustomizerAppliesBesideTheSharedOnes() {
        context.withBean(
                        S3ClientCustomizer.class,
                        () -> builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                                .apiCallTimeout(Duration.ofSeconds(7))
                                .build()))
                .run(context -> {
                    var override = context.getBean("payloadS3Client", S3Client.class)
                            .serviceClientConfiguration()
                            .overrideConfiguration();

                    assertThat(override.apiCallTimeout()).contains(Duration.ofSeconds(7));
                    assertThat(override.executionInterceptors()).contains(COUNTER);
                });
    }
}
