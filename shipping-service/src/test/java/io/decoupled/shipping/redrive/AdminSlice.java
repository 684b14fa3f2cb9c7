package io.decoupled.shipping.redrive;

import static org.mockito.Mockito.mock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * What a {@code @WebMvcTest} of any shipping-service controller needs from this package: RedriveConfiguration is a
 * WebMvcConfigurer, so every web slice picks it up, and with it the admin API's switch, rate limit and token check in
 * front of /admin/**. This gives it its settings and the redriver's collaborators; SQS is a mock the slices never reach.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({AdminProperties.class, RedriveProperties.class})
public class AdminSlice {

    @Bean
    SqsAsyncClient sqsAsyncClient() {
        return mock(SqsAsyncClient.class);
    }

    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
