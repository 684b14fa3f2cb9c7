package io.decoupled.order.outbox;

import io.awspring.cloud.autoconfigure.s3.S3ClientCustomizer;
import io.awspring.cloud.autoconfigure.sns.SnsClientCustomizer;
import io.awspring.cloud.sns.core.TopicsListingTopicArnResolver;
import io.decoupled.claimcheck.PayloadS3ClientConfiguration;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
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
@Import(PayloadS3ClientConfiguration.class)
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
     * The claim check's S3 client is built once for every service ({@link PayloadS3ClientConfiguration}); here its calls
     * are bounded like the SNS ones, because the put happens while the relay holds the claimed rows' locks. Added to the
     * override configuration the client already has (the AWS call counter), not in place of it.
     */
    @Bean
    S3ClientCustomizer relayBoundsPayloadS3Calls(OutboxProperties properties) {
        return builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                .apiCallTimeout(properties.relay().callTimeout())
                .build());
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
