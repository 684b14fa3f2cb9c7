package io.decoupled.shipping.consumer;

import java.time.Duration;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Exponential backoff with "equal jitter" for transient failures, applied as the message's new visibility
 * timeout: the message waits in SQS, not in a sleeping thread, so a failing dependency costs no workers,
 * and retries of many messages spread out instead of arriving together.
 *
 * <p>The schedule is the AWS SDK's own {@link BackoffStrategy} (half jitter: a delay in [ceiling/2, ceiling]);
 * this record only turns it into what {@code ChangeMessageVisibility} takes: whole seconds, at least 1, at most
 * SQS's 12 hours, counted by receives (the SDK counts attempts, and its attempt 1 waits nothing).
 */
record RetryBackoff(BackoffStrategy strategy) {
    private static final long MAX_VISIBILITY_SECONDS = Duration.ofHours(12).toSeconds();

    RetryBackoff(Duration initial, Duration max) {
        this(BackoffStrategy.exponentialDelayHalfJitter(initial, max));
    }

    /** The visibility timeout, in whole seconds, after the given (1-based) receive failed. */
    int delaySeconds(int receiveCount) {
        long seconds = strategy.computeDelay(Math.max(receiveCount, 1) + 1).toSeconds();
        return (int) Math.max(1, Math.min(seconds, MAX_VISIBILITY_SECONDS));
    }
}
