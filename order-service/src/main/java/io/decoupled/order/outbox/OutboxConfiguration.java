package io.decoupled.order.outbox;

import io.awspring.cloud.autoconfigure.AwsSyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.s3.properties.S3Properties;
import io.awspring.cloud.autoconfigure.sns.SnsClientCustomizer;
import io.awspring.cloud.sns.core.TopicsListingTopicArnResolver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.sns.AmazonSNSExtendedClient;
import software.amazon.sns.SNSExtendedClientConfiguration;

/**
 * Wires the relay: its resilience policies, its metrics, an SNS client whose retries the relay owns, and the claim
 * check (an S3 client and the SNS Extended Client) for events too large for SNS.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(S3Properties.class)
class OutboxConfiguration {
    static final String SNS_PUBLISH = "sns-publish";

    /**
     * The SDK would retry each call itself (three attempts by default) under the relay's Resilience4j retry,
     * multiplying attempts and hiding failures from the circuit breaker. One policy owns retries: the relay's.
     * The call timeout bounds how long a hung SNS can hold the claimed rows' locks.
     */
    @Bean
    SnsClientCustomizer relayOwnsSnsRetries(OutboxProperties properties) {
        return builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(properties.relay().callTimeout())
                .build());
    }

    @Bean
    Retry snsPublishRetry(OutboxProperties properties, MeterRegistry meters) {
        var settings = properties.retry();
        // Resilience4j's own IntervalFunction, because its Retry runs these attempts (with the circuit breaker and
        // the metrics). Code that schedules retries itself (the SQS consumer, the Kinesis producer) uses the SDK's
        // BackoffStrategy instead; neither hand-rolls one.
        var registry = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        settings.initialBackoff(), settings.multiplier(), settings.jitter(), Duration.ofSeconds(5)))
                .retryOnException(SnsBatchPublisher::isTransient)
                .build());
        TaggedRetryMetrics.ofRetryRegistry(registry).bindTo(meters);
        return registry.retry(SNS_PUBLISH);
    }

    @Bean
    CircuitBreaker snsPublishCircuitBreaker(OutboxProperties properties, MeterRegistry meters) {
        var settings = properties.circuitBreaker();
        var registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpen())
                // Only SNS being unreachable opens the circuit; a call refused as invalid is one entry's fault.
                .recordException(SnsBatchPublisher::isTransient)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry.circuitBreaker(SNS_PUBLISH);
    }

    /**
     * The S3 client of the claim check, configured like every Spring Cloud AWS client ({@code spring.cloud.aws.s3.*}:
     * endpoint, region, path-style access; unset, the SDK's {@code AWS_ENDPOINT_URL_S3}). Its calls are bounded like
     * the SNS ones: the put happens while the relay holds the claimed rows' locks.
     */
    @Bean(destroyMethod = "close")
    S3Client payloadS3Client(
            AwsClientBuilderConfigurer configurer,
            S3Properties s3,
            ObjectProvider<AwsConnectionDetails> connectionDetails,
            ObjectProvider<AwsSyncClientCustomizer> customizers,
            OutboxProperties properties) {
        // The customizers count its calls for the console's cost meter, like every other client's.
        return configurer
                .configureSyncClient(
                        S3Client.builder(),
                        s3,
                        connectionDetails.getIfAvailable(),
                        Stream.empty(),
                        customizers.orderedStream())
                .forcePathStyle(Boolean.TRUE.equals(s3.getPathStyleAccessEnabled()))
                .overrideConfiguration(o -> o.apiCallTimeout(properties.relay().callTimeout()))
                .build();
    }

    @Bean
    SnsBatchPublisher snsBatchPublisher(
            SnsClient sns,
            S3Client payloadS3Client,
            OutboxProperties properties,
            Retry snsPublishRetry,
            CircuitBreaker snsPublishCircuitBreaker) {
        // Always through S3: the publisher hands it only entries it has already judged too large for SNS, so the
        // decision is made once, by SnsBatchPublisher.needsOffloading, not again by the library's own arithmetic.
        var extended = new AmazonSNSExtendedClient(
                sns,
                new SNSExtendedClientConfiguration()
                        .withPayloadSupportEnabled(payloadS3Client, properties.payloadBucket())
                        .withAlwaysThroughS3(true));
        return new SnsBatchPublisher(
                sns,
                extended::publish,
                new TopicsListingTopicArnResolver(sns),
                properties.topic(),
                snsPublishRetry,
                snsPublishCircuitBreaker);
    }

    @Bean
    OutboxMetrics outboxMetrics(MeterRegistry meters, OutboxRepository repository) {
        return new OutboxMetrics(meters, repository);
    }

    @Bean
    OutboxRelay outboxRelay(
            OutboxRepository repository,
            SnsBatchPublisher publisher,
            PlatformTransactionManager transactionManager,
            OutboxMetrics metrics,
            OutboxProperties properties,
            Clock clock) {
        return new OutboxRelay(
                repository, publisher, new TransactionTemplate(transactionManager), metrics, properties.relay(), clock);
    }

    @Bean
    OutboxRetention outboxRetention(OutboxRepository repository, OutboxProperties properties, Clock clock) {
        return new OutboxRetention(repository, properties.relay(), clock);
    }
}
