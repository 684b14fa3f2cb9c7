package io.decoupled.order.outbox;

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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;

/** Wires the relay: its resilience policies, its metrics, and an SNS client whose retries the relay owns. */
@Configuration(proxyBeanMethods = false)
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

    @Bean
    SnsBatchPublisher snsBatchPublisher(
            SnsClient sns,
            OutboxProperties properties,
            Retry snsPublishRetry,
            CircuitBreaker snsPublishCircuitBreaker) {
        return new SnsBatchPublisher(
                sns,
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
