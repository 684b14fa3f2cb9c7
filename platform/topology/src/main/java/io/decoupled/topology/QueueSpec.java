package io.decoupled.topology;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One SQS queue. A name ending in {@code .fifo} makes a FIFO queue, as AWS requires. Dead-letter queues
 * are queues too, without a redrive of their own.
 */
public record QueueSpec(
        String name,
        Duration visibilityTimeout,
        Duration receiveWaitTime,
        Duration retentionPeriod,
        Optional<Redrive> redrive,
        Duration deliveryDelay) {

    public static final Duration DEFAULT_VISIBILITY = Duration.ofSeconds(30);
    /** Long polling: a receive waits up to 20 s for a message instead of returning empty at once. */
    public static final Duration LONG_POLL = Duration.ofSeconds(20);

    public static final Duration DLQ_RETENTION = Duration.ofDays(14);
    /** SQS's ceiling for a queue's (and a message's) delay. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);

    public QueueSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        Objects.requireNonNull(receiveWaitTime, "receiveWaitTime");
        Objects.requireNonNull(retentionPeriod, "retentionPeriod");
        Objects.requireNonNull(redrive, "redrive");
        Objects.requireNonNull(deliveryDelay, "deliveryDelay");
        if (deliveryDelay.isNegative()
                || deliveryDelay.compareTo(MAX_DELAY) > 0
                || deliveryDelay.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("deliveryDelay is whole seconds from 0 to 15 minutes: " + name);
        }
        if (!name.matches("[A-Za-z0-9_-]{1,75}(\\.fifo)?")) {
            throw new IllegalArgumentException("invalid queue name: " + name);
        }
        if (receiveWaitTime.toSeconds() > 20) {
            throw new IllegalArgumentException("receiveWaitTime is at most 20 s: " + name);
        }
        redrive.ifPresent(r -> {
            if (r.deadLetterQueue().endsWith(".fifo") != name.endsWith(".fifo")) {
                throw new IllegalArgumentException(
                        "a FIFO queue needs a FIFO DLQ and a standard queue a standard DLQ: " + name);
            }
        });
    }

    /** A queue without a delay of its own: every message is visible as soon as it is sent. */
    public QueueSpec(
            String name,
            Duration visibilityTimeout,
            Duration receiveWaitTime,
            Duration retentionPeriod,
            Optional<Redrive> redrive) {
        this(name, visibilityTimeout, receiveWaitTime, retentionPeriod, redrive, Duration.ZERO);
    }

    public static QueueSpec worker(String name, Redrive redrive) {
        return new QueueSpec(name, DEFAULT_VISIBILITY, LONG_POLL, Duration.ofDays(4), Optional.of(redrive));
    }

    /**
     * A delay queue: a message sent to it stays invisible to consumers for {@code delay} (the queue's
     * {@code DelaySeconds}) unless its sender sets a per-message delay, which overrides it on a standard queue.
     */
    public static QueueSpec delayed(String name, Redrive redrive, Duration delay) {
        return worker(name, redrive).withDeliveryDelay(delay);
    }

    public static QueueSpec deadLetter(String name) {
        return new QueueSpec(name, DEFAULT_VISIBILITY, LONG_POLL, DLQ_RETENTION, Optional.empty());
    }

    public boolean fifo() {
        return name.endsWith(".fifo");
    }

    public QueueSpec withVisibilityTimeout(Duration timeout) {
        return new QueueSpec(name, timeout, receiveWaitTime, retentionPeriod, redrive, deliveryDelay);
    }

    public QueueSpec withDeliveryDelay(Duration delay) {
        return new QueueSpec(name, visibilityTimeout, receiveWaitTime, retentionPeriod, redrive, delay);
    }
}
