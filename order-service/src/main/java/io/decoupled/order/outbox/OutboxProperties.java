package io.decoupled.order.outbox;

import io.decoupled.topology.Topology;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the outbox relay.
 *
 * @param topic the SNS topic, by name (resolved to its ARN on first use) or by ARN
 * @param payloadBucket the S3 bucket an event too large for SNS (over 256 KiB with its attributes) is put in, with a
 *                      pointer published instead (claim check). Locally the provisioning creates it under this default
 *                      name; in AWS the CDK app passes its bucket's name (ORDER_OUTBOX_PAYLOAD_BUCKET)
 * @param relay how the relay polls and claims
 * @param retry Resilience4j retry of one batch: exponential backoff with jitter
 * @param circuitBreaker Resilience4j circuit breaker around the PublishBatch call
 */
@Validated
@ConfigurationProperties("order.outbox")
record OutboxProperties(
        @DefaultValue("order-events") @NotBlank String topic,

        @DefaultValue(Topology.LOCAL_PAYLOAD_BUCKET) @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
        String payloadBucket,

        @DefaultValue @Valid Relay relay,
        @DefaultValue @Valid Retry retry,
        @DefaultValue @Valid CircuitBreaker circuitBreaker) {

    /**
     * @param enabled whether this instance relays at all. Every instance may: one at a time holds the lease and relays,
     *                the others take over when it stops or its lease runs out
     * @param workers publishing lanes: PublishBatch calls in flight at once, each lane publishing its slice of a window
     *                in calls of up to 10 entries, one after another
     * @param batchSize rows read per window, in commit order. While one window is published the next is read and the
     *                  last one's position recorded, so the database work is paid once per window and off the path of
     *                  the PublishBatch calls
     * @param pollInterval idle wait between polls when no commit wakes the relay; also how often rows set aside after
     *                     a rejection are retried, and how often a relay without the lease tries to take it
     * @param leaseDuration how long the lease lasts unless renewed (every move of the position and every poll renews
     *                      it): how soon another instance takes over from one that died without giving it up
     * @param maxEntryAttempts rejections of one entry as the sender's fault (invalid, too large) before it is parked
     * @param maxTransientEntryAttempts rejections of one entry as SNS's fault before it is parked too: a bound, so an
     *                                  entry SNS keeps failing cannot be retried forever; failed calls (SNS
     *                                  unreachable) say nothing about an entry and never count
     * @param transientEntryPatience how old an event must be before rejections as SNS's fault park it as well: an SNS
     *                               incident fails every entry alike, often enough to reach any count of attempts
     *                               within a minute, so only an event SNS keeps failing for longer than an incident
     *                               lasts is parked; until then it is retried, and attempts are still counted
     * @param callTimeout the longest one PublishBatch call may take, so a hung SNS cannot hold the relay up
     * @param retention how long published rows are kept for audit
     */
    record Relay(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("2") @Min(1) @Max(16) int workers,
            @DefaultValue("200") @Min(1) @Max(1000) int batchSize,
            @DefaultValue("1s") @NotNull Duration pollInterval,
            @DefaultValue("15s") @NotNull Duration leaseDuration,
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
