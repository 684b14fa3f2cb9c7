package io.decoupled.clicks.producer;

import java.time.Duration;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Exponential backoff with full jitter: retry n waits a random time in [0, min(max, base * 2^(n-1))].
 * The randomness spreads the retries of many failed entries (and many producers) over time, so that a
 * throttled shard is not hit again by all of them at the same instant.
 *
 * <p>The schedule is the AWS SDK's own {@link BackoffStrategy} (the one its retries use); this record only
 * numbers retries the way the producer counts them, from 1, where the SDK counts attempts (attempt 1 is the
 * first try and waits nothing).
 */
record Backoff(BackoffStrategy strategy) {

    Backoff(Duration base, Duration max) {
        this(BackoffStrategy.exponentialDelay(base, max));
    }

    /** The delay before retry number {@code retry} (1 for the first retry). */
    Duration delayBeforeRetry(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1");
        }
        return strategy.computeDelay(retry + 1);
    }
}
