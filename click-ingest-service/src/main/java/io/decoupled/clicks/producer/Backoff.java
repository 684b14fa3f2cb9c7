package io.decoupled.clicks.producer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: attempt n waits a random time in [0, min(max, base * 2^(n-1))].
 * The randomness spreads the retries of many failed entries (and many producers) over time, so that a
 * throttled shard is not hit again by all of them at the same instant.
 */
record Backoff(Duration base, Duration max, DoubleSupplier random) {

    Backoff(Duration base, Duration max) {
        this(base, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The delay before retry number {@code retry} (1 for the first retry). */
    Duration delayBeforeRetry(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1");
        }
        long ceiling = base.toNanos() << Math.min(retry - 1, 30);
        if (ceiling <= 0 || ceiling > max.toNanos()) {
            ceiling = max.toNanos();
        }
        return Duration.ofNanos((long) (random.getAsDouble() * ceiling));
    }
}
