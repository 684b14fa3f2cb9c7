package io.decoupled.shipping.outbox;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the outbox relay; the same shape as order-service's {@code order.outbox} settings.
 *
 * @param topic the SNS FIFO topic, by name (resolved by listing topics, never created) or by ARN
 * @param relay how the relay polls and claims
 * @param retry Resilience4j retry of one batch: exponential backoff with jitter
 * @param circuitBreaker Resilience4j circuit breaker around the PublishBatch call
 */
@Validated
@ConfigurationProperties("shipping.outbox")
record OutboxProperties(
        @DefaultValue("shipment-events.fifo") @NotBlank String topic,
        @DefaultValue @Valid Relay relay,
        @DefaultValue @Valid Retry retry,
        @DefaultValue @Valid CircuitBreaker circuitBreaker) {

    /**
     * @param enabled whether this instance relays at all (every instance may; claims never overlap)
     * @param workers concurrent relay loops in this instance
     * @param batchSize rows claimed per cycle, in one transaction; the publisher sends them in PublishBatch calls of
     *                  at most 10 entries and 256 KiB, one after another. Several calls per claim spread the database
     *                  work (claim, mark, commit) over more events; a larger claim holds more row locks for longer
     * @param pollInterval idle wait between polls when no commit wakes the relay
     * @param maxEntryAttempts rejections of one entry as the sender's fault (invalid, too large) before it is parked
     * @param maxTransientEntryAttempts rejections of one entry as SNS's fault before it is parked too; failed calls
     *                                  (SNS unreachable) say nothing about an entry and never count
     * @param transientEntryPatience how old an event must be before rejections as SNS's fault park it as well: an SNS
     *                               incident fails every entry alike, often enough to reach any count of attempts
     *                               within a minute, so only an event SNS keeps failing for longer than an incident
     *                               lasts is parked; until then it is retried, and attempts are still counted
     * @param callTimeout the longest one PublishBatch call may take, so a hung SNS cannot hold row locks
     * @param retention how long published rows are kept for audit
     */
    record Relay(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1") @Min(1) @Max(16) int workers,
            @DefaultValue("50") @Min(1) @Max(100) int batchSize,
            @DefaultValue("500ms") @NotNull Duration pollInterval,
            @DefaultValue("3") @Min(1) int maxEntryAttempts,
            @DefaultValue("50") @Min(1) int maxTransientEntryAttempts,
            @DefaultValue("1h") @NotNull Duration transientEntryPatience,
            @DefaultValue("5s") @NotNull Duration callTimeout,
            @DefaultValue("7d") @NotNull Duration retention) {}

    /**
     * @param maxAttempts attempts of one batch, the first included
     * @param initialBackoff wait before the second attempt
     * @param multiplier growth of the wait per attempt
     * @param jitter randomisation factor of each wait (0.5 means ±50 %), so relays do not retry in lockstep
     */
    record Retry(
            @DefaultValue("4") @Min(1) @Max(10) int maxAttempts,
            @DefaultValue("100ms") @NotNull Duration initialBackoff,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,

            @DefaultValue("0.5") @DecimalMin("0.0") @DecimalMax("1.0")
            double jitter) {}

    /**
     * @param failureRateThreshold percentage of failed calls that opens the circuit
     * @param slidingWindowSize calls the failure rate is computed over
     * @param minimumCalls calls before the rate counts
     * @param waitInOpenState how long the circuit stays open before probing SNS again
     * @param permittedCallsInHalfOpen probe calls in the half-open state
     */
    record CircuitBreaker(
            @DefaultValue("50") @Min(1) @Max(100) float failureRateThreshold,
            @DefaultValue("10") @Min(1) int slidingWindowSize,
            @DefaultValue("5") @Min(1) int minimumCalls,
            @DefaultValue("10s") @NotNull Duration waitInOpenState,
            @DefaultValue("2") @Min(1) int permittedCallsInHalfOpen) {}
}
