package io.decoupled.shipping.autoscaling;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One observation of the queue and the pool.
 *
 * @param visible          ApproximateNumberOfMessagesVisible: the backlog waiting for a worker
 * @param currentWorkers   the pool's size now
 * @param busyWorkers      workers handling a message now
 * @param averageProcessingTime measured, empty before the first message
 */
record ScalingSample(
        Instant at, long visible, int currentWorkers, int busyWorkers, Optional<Duration> averageProcessingTime) {}
