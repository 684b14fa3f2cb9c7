package io.decoupled.shipping.consumer;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Circuit breaker on receiving: after a run of consecutive transient failures (the database or the carrier down)
 * the pollers stop taking new messages, so an outage does not pull the backlog through failing handlers and push
 * every message's receive count towards the DLQ. The messages already held keep being retried in place and are the
 * probes: one success closes the circuit. If none is left to probe, the circuit half-opens after {@code openFor}
 * and the next receive probes instead.
 */
final class ConsumerCircuit {
    private final int threshold;
    private final long openForNanos;
    private final LongSupplier clock;
    private int consecutiveFailures;
    private long lastFailure;

    ConsumerCircuit(int threshold, Duration openFor, LongSupplier clock) {
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.clock = clock;
    }

    synchronized void failure() {
        consecutiveFailures++;
        lastFailure = clock.getAsLong();
    }

    synchronized void success() {
        consecutiveFailures = 0;
    }

    synchronized boolean isOpen() {
        return consecutiveFailures >= threshold && clock.getAsLong() - lastFailure < openForNanos;
    }
}
