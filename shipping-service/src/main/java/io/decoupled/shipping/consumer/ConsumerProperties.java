package io.decoupled.shipping.consumer;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the shipping-orders consumer polls, acknowledges, extends visibility, retries and shuts down.
 *
 * @param queue          queue name (resolved with GetQueueUrl) or URL
 * @param workers        concurrent handlers at start; the autoscaler resizes the pool from here
 * @param maxPollers     upper bound on concurrent long polls; demand decides how many run (one when idle, one more per
 *                       full receive, never more receives than batches the free workers can take); also the number of
 *                       acknowledgement senders, since each receive of ten is answered by one delete of ten
 * @param batchSize      messages per ReceiveMessage (SQS allows 1..10; 10 halves the calls per message)
 * @param waitTime       long-poll wait; 20 s keeps an idle poller at 3 receives a minute
 * @param ackFlushInterval how long a delete waits for nine companions before its batch is sent anyway
 * @param shutdownTimeout bound on finishing in-flight work at shutdown; what is left is released
 */
@Validated
@ConfigurationProperties("shipping.consumer")
public record ConsumerProperties(
        @DefaultValue("shipping-orders") @NotBlank String queue,
        @DefaultValue("4") @Min(0) @Max(1000) int workers,
        @DefaultValue("10") @Min(1) @Max(100) int maxPollers,
        @DefaultValue("10") @Min(1) @Max(10) int batchSize,
        @DefaultValue("20s") @NotNull Duration waitTime,
        @DefaultValue("100ms") @NotNull Duration ackFlushInterval,
        @DefaultValue("20s") @NotNull Duration shutdownTimeout,
        @DefaultValue @Valid Heartbeat heartbeat,
        @DefaultValue @Valid Retry retry) {

    @AssertTrue(message = "waitTime must be between 0 and 20 s (the SQS long-poll limit)")
    boolean isWaitTimeValid() {
        return !waitTime.isNegative() && waitTime.toSeconds() <= 20;
    }

    /**
     * The visibility heartbeat.
     *
     * @param threshold     work shorter than this is never extended (most messages cost no extra call)
     * @param interval      how often in-flight messages are checked
     * @param extension     how far one extension pushes visibility; empty means the queue's own timeout
     * @param maxVisibility total time since receive after which a message is no longer extended, so a
     *                      stuck handler cannot hide a message forever
     */
    public record Heartbeat(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("10s") @NotNull Duration threshold,
            @DefaultValue("5s") @NotNull Duration interval,
            Duration extension,
            @DefaultValue("15m") @NotNull Duration maxVisibility) {

        @AssertTrue(message = "heartbeat.interval must be positive and maxVisibility at most 12 h (the SQS limit)")
        boolean isValid() {
            return interval.isPositive()
                    && maxVisibility.isPositive()
                    && maxVisibility.compareTo(Duration.ofHours(12)) <= 0
                    && (extension == null || extension.toSeconds() >= 1);
        }
    }

    /**
     * Retry of transient failures: a retry budget by time, not by receives. A failed message is held (the heartbeat
     * keeps it hidden) and retried in place with exponential backoff and jitter until the budget is spent; only then
     * is it handed back to the queue with the backoff as its visibility, where the redrive policy counts a receive.
     * An outage of minutes therefore costs one receive, not the five that would move a good message to the DLQ.
     *
     * @param initialBackoff   delay after the first failure
     * @param maxBackoff       cap on the delay
     * @param budget           how long one message is retried in place; capped so that the message stays hidden
     *                         throughout (below heartbeat.maxVisibility, or the queue's timeout without a heartbeat)
     * @param circuitThreshold consecutive transient failures after which the pollers stop receiving new messages
     * @param circuitOpenFor   how long receiving stays paused after the last failure when no held message probes
     */
    public record Retry(
            @DefaultValue("2s") @NotNull Duration initialBackoff,
            @DefaultValue("5m") @NotNull Duration maxBackoff,
            @DefaultValue("10m") @NotNull Duration budget,
            @DefaultValue("5") @Min(1) int circuitThreshold,
            @DefaultValue("30s") @NotNull Duration circuitOpenFor) {

        @AssertTrue(
                message = "retry backoffs must be at least 1 s (SQS visibility has whole seconds) and initial <= max")
        boolean isValid() {
            return initialBackoff.toSeconds() >= 1
                    && initialBackoff.compareTo(maxBackoff) <= 0
                    && maxBackoff.toHours() <= 12
                    && !budget.isNegative()
                    && circuitOpenFor.isPositive();
        }
    }
}
