package io.decoupled.shipping.autoscaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Backlog-per-worker scaling, the policy AWS recommends for SQS consumers, as plain code:
 * <pre>
 *   acceptable backlog per worker = acceptable latency / average processing time
 *   desired workers               = ceil(visible / acceptable backlog per worker), clamped to [min, max]
 * </pre>
 * Scale-out applies at once; scale-in takes the highest recommendation of the stabilization window (as the
 * Kubernetes HPA does), so a brief lull or one noisy low sample does not shrink the pool and steady load
 * does not flap. Two guards keep it honest: it never scales in below the workers busy right now (a
 * visible count near zero under steady load means the pool keeps up, not that it is too large), and any
 * visible message with no worker scales to at least one, because a ratio over zero workers never moves.
 *
 * <p>Not thread-safe: one autoscaler owns one policy.
 */
final class ScalingPolicy {
    private final int min;
    private final int max;
    private final Duration acceptableLatency;
    private final Duration fallbackProcessingTime;
    private final Duration scaleInStabilization;
    private final Deque<Recommendation> window = new ArrayDeque<>();
    private Instant firstSample;

    private record Recommendation(Instant at, int workers) {}

    ScalingPolicy(
            int min,
            int max,
            Duration acceptableLatency,
            Duration fallbackProcessingTime,
            Duration scaleInStabilization) {
        if (min < 0 || max < Math.max(min, 1)) {
            throw new IllegalArgumentException("need 0 <= min <= max and max >= 1, got min " + min + ", max " + max);
        }
        if (!acceptableLatency.isPositive()
                || !fallbackProcessingTime.isPositive()
                || scaleInStabilization.isNegative()) {
            throw new IllegalArgumentException("latency and processing time must be positive, the window not negative");
        }
        this.min = min;
        this.max = max;
        this.acceptableLatency = acceptableLatency;
        this.fallbackProcessingTime = fallbackProcessingTime;
        this.scaleInStabilization = scaleInStabilization;
    }

    static ScalingPolicy of(AutoscalingProperties settings) {
        return new ScalingPolicy(
                settings.minWorkers(),
                settings.maxWorkers(),
                settings.acceptableLatency(),
                settings.fallbackProcessingTime(),
                settings.scaleInStabilization());
    }

    ScalingDecision decide(ScalingSample sample) {
        Objects.requireNonNull(sample, "sample");
        var processing =
                sample.averageProcessingTime().filter(Duration::isPositive).orElse(fallbackProcessingTime);
        // At least one message per worker: a worker slower than the acceptable latency still takes messages.
        double acceptableBacklog = Math.max(1.0, (double) acceptableLatency.toNanos() / processing.toNanos());
        long visible = Math.max(0, sample.visible());
        double backlogPerWorker = sample.currentWorkers() == 0 ? visible : (double) visible / sample.currentWorkers();

        int byBacklog = clamp((long) Math.ceil(visible / acceptableBacklog));
        int recommended = Math.max(byBacklog, clamp(sample.busyWorkers()));
        remember(sample.at(), recommended);
        if (firstSample == null) {
            firstSample = sample.at();
        }
        // A policy that has not yet seen a whole window (just started) does not know the lull is lasting.
        boolean windowCovered = !Duration.between(firstSample, sample.at())
                .minus(scaleInStabilization)
                .isNegative();

        int current = sample.currentWorkers();
        if (recommended > current) {
            var reason = current == 0 ? ScalingDecision.Reason.SCALE_FROM_ZERO : ScalingDecision.Reason.SCALE_OUT;
            return new ScalingDecision(recommended, backlogPerWorker, acceptableBacklog, reason);
        }
        int stabilized = window.stream().mapToInt(Recommendation::workers).max().orElse(recommended);
        int desired = Math.min(current, stabilized);
        if (desired < current && windowCovered) {
            return new ScalingDecision(desired, backlogPerWorker, acceptableBacklog, ScalingDecision.Reason.SCALE_IN);
        }
        var reason = recommended < current ? ScalingDecision.Reason.HOLD_STABILIZING : ScalingDecision.Reason.STEADY;
        return new ScalingDecision(clampCurrent(current), backlogPerWorker, acceptableBacklog, reason);
    }

    private void remember(Instant at, int workers) {
        window.addLast(new Recommendation(at, workers));
        var horizon = at.minus(scaleInStabilization);
        while (!window.isEmpty() && window.peekFirst().at().isBefore(horizon)) {
            window.removeFirst();
        }
    }

    private int clamp(long workers) {
        return (int) Math.max(min, Math.min(max, workers));
    }

    /** A pool configured outside [min, max] is brought inside on the first decision. */
    private int clampCurrent(int current) {
        return clamp(current);
    }
}
