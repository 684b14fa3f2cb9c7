package io.decoupled.infra.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * How many visible messages one task may have in front of it and still meet the latency goal: the target of
 * the target-tracking policy. A task with {@code workersPerTask} concurrent workers finishes that many
 * messages every {@code averageProcessingTime}, so a message that arrives behind {@code B} others waits
 * {@code B * averageProcessingTime / workersPerTask}. Keeping that wait within {@code acceptableLatency} gives
 *
 * <pre>acceptable backlog per task = acceptableLatency / averageProcessingTime * workersPerTask</pre>
 *
 * which is the local policy's "acceptable latency / average processing time" per worker, times the workers
 * a task runs. The processing time is a measurement, not a guess: take the mean of shipping-service's
 * {@code shipping.messages.handling} timer under load and redeploy when it moves.
 *
 * @param acceptableLatency     the longest a message should wait in the queue before a worker takes it
 * @param averageProcessingTime the measured mean time one worker spends on one message
 * @param workersPerTask        concurrent workers in one task
 */
public record AcceptableBacklogPerTask(Duration acceptableLatency, Duration averageProcessingTime, int workersPerTask) {

    public AcceptableBacklogPerTask {
        Objects.requireNonNull(acceptableLatency, "acceptableLatency");
        Objects.requireNonNull(averageProcessingTime, "averageProcessingTime");
        if (!averageProcessingTime.isPositive()) {
            throw new IllegalArgumentException("averageProcessingTime must be positive, was " + averageProcessingTime);
        }
        if (acceptableLatency.compareTo(averageProcessingTime) < 0) {
            throw new IllegalArgumentException(
                    "acceptableLatency " + acceptableLatency + " is shorter than one message's processing time "
                            + averageProcessingTime + ": no backlog could meet it");
        }
        if (workersPerTask < 1) {
            throw new IllegalArgumentException("workersPerTask must be at least 1, was " + workersPerTask);
        }
    }

    /** The target value: whole messages, rounded down so that the latency goal holds, and at least 1. */
    public int messages() {
        long perWorker = acceptableLatency.toNanos() / averageProcessingTime.toNanos();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, perWorker * workersPerTask));
    }
}
