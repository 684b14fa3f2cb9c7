package io.decoupled.awscalls;

import io.awspring.cloud.autoconfigure.AwsAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.AwsSyncClientCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;

/**
 * Puts the {@link AwsCallCounter} on every client Spring Cloud AWS builds (its sync and async customizers apply to
 * all of them). A client a service builds itself adds the counter with {@link #count}. Off with
 * {@code aws.calls.enabled=false}.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnProperty(name = "aws.calls.enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnClass({MeterRegistry.class, AwsSyncClientCustomizer.class})
public class AwsCallsAutoConfiguration {

    @Bean
    AwsCallCounter awsCallCounter(MeterRegistry meters) {
        return new AwsCallCounter(meters);
    }

    @Bean
    AwsSyncClientCustomizer countAwsCallsOfSyncClients(AwsCallCounter counter) {
        // The customizer is typed by the sync facet; every SDK client builder is also an SdkClientBuilder.
        return builder -> count((SdkClientBuilder<?, ?>) builder, counter);
    }

    @Bean
    AwsAsyncClientCustomizer countAwsCallsOfAsyncClients(AwsCallCounter counter) {
        return builder -> count((SdkClientBuilder<?, ?>) builder, counter);
    }

    /** Adds the counter to a client builder, keeping whatever override configuration it already has. */
    public static void count(SdkClientBuilder<?, ?> builder, AwsCallCounter counter) {
        builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                .addExecutionInterceptor(counter)
                .build());
    }
}
