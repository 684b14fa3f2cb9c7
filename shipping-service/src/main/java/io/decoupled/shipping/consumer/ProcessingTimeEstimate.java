package io.decoupled.shipping.consumer;

import java.time.Duration;
import java.util.Optional;

/**
 * An exponentially weighted moving average of handling times: recent work counts most, one slow message
 * moves the estimate only a little. The autoscaler turns it into an acceptable backlog per worker.
 */
final class ProcessingTimeEstimate {
    private static final double WEIGHT = 0.2;
    private double averageNanos = Double.NaN;

    synchronized void record(Duration duration) {
        double nanos = duration.toNanos();
        averageNanos = Double.isNaN(averageNanos) ? nanos : averageNanos + WEIGHT * (nanos - averageNanos);
    }

    synchronized Optional<Duration> average() {
        return Double.isNaN(averageNanos) ? Optional.empty() : Optional.of(Duration.ofNanos((long) averageNanos));
    }
}
