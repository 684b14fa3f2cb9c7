package io.decoupled.shipping.consumer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter" for transient failures, applied as the message's new visibility
 * timeout: the message waits in SQS, not in a sleeping thread, so a failing dependency costs no workers,
 * and retries of many messages spread out instead of arriving together.
 */
record RetryBackoff(Duration initial, Duration max) {

    /** The visibility timeout, in whole seconds, after the given (1-based) receive failed. */
    int delaySeconds(int receiveCount) {
        int exponent = Math.min(Math.max(receiveCount, 1) - 1, 20);
        long ceiling = Math.min(max.toSeconds(), initial.toSeconds() << exponent);
        long half = ceiling / 2;
        long jittered = ceiling - half + ThreadLocalRandom.current().nextLong(half + 1);
        return (int) Math.max(1, Math.min(jittered, Duration.ofHours(12).toSeconds()));
    }
}
