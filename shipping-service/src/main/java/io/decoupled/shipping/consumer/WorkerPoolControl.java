package io.decoupled.shipping.consumer;

import java.time.Duration;
import java.util.Optional;

/** What an autoscaler may read from and change on a running consumer. */
public interface WorkerPoolControl {
    /** The queue URL, once the consumer has started; empty before. */
    Optional<String> queueUrl();

    int currentWorkers();

    /** Workers busy with a message right now. */
    int busyWorkers();

    /** The measured average handling time, empty until something was handled. */
    Optional<Duration> averageProcessingTime();

    /** Changes the number of concurrent workers; shrinking lets running work finish. */
    void resize(int workers);
}
