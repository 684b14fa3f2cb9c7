package io.decoupled.shipping.consumer;

import io.decoupled.shipping.sqs.BatchEntries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * Batched acknowledgement on a small dedicated sender pool (a bounded work queue drained by a fixed set of sender
 * threads): deletes of handled messages are collected and sent ten per DeleteMessageBatch, waiting at most a short
 * interval for a batch to fill; visibility changes (releases) are sent as they come. One delete call per ten messages
 * is what brings the consumer to 0.2 API calls per message. A message is only queued here after its effect is
 * committed; on close everything queued is sent.
 *
 * <p>The calls block on the synchronous client, so they run on the senders and never on a worker: a worker hands its
 * delete over and takes its next message. A full batch of ten is sent as soon as it is complete; only a partial one
 * waits for the flush interval. Bounded both ways: at most {@code senders} calls in flight, and at most
 * {@link #maxPending} deletes queued; beyond that {@link #acknowledge} waits for room (back-pressure on the workers
 * instead of a queue that grows while SQS is slow, with deletes arriving after their messages reappeared).
 */
final class Acknowledgements implements AutoCloseable {
    private static final int BATCH = 10;
    private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration flushInterval;
    private final int maxPending;
    private final Counter deleteCalls;
    private final Counter deleteFailures;
    private final Counter visibilityCalls;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when there is work for a sender: a full batch, a first pending delete, a release, or close. */
    private final Condition work = lock.newCondition();
    /** Signalled when a sender took deletes off the queue, or on close. */
    private final Condition room = lock.newCondition();

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<Release> releases = new ArrayDeque<>();
    private final List<Thread> senders;
    /** Senders waiting for the oldest pending delete's flush interval to pass; under the lock. */
    private int timing;

    private boolean running = true;

    private record Pending(InFlightMessage message, long since) {}

    private record Release(List<InFlightMessage> messages, int visibilitySeconds) {}

    Acknowledgements(SqsClient sqs, String queueUrl, Duration flushInterval, int senders, MeterRegistry meters) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.flushInterval = flushInterval;
        // Room for every sender to have a further batch ready behind the one it is sending, twice over.
        this.maxPending = Math.max(1, senders) * BATCH * 2;
        this.deleteCalls = Counter.builder("shipping.sqs.requests")
                .tag("operation", "DeleteMessageBatch")
                .register(meters);
        this.visibilityCalls = Counter.builder("shipping.sqs.requests")
                .tag("operation", "ChangeMessageVisibilityBatch")
                .register(meters);
        this.deleteFailures = Counter.builder("shipping.acknowledgements.failed")
                .description("Deletes SQS rejected; the message comes back and the idempotent handler absorbs it")
                .register(meters);
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < Math.max(1, senders); i++) {
            threads.add(Thread.ofPlatform()
                    .name("sqs-acknowledgements-" + i)
                    .daemon()
                    .start(this::run));
        }
        this.senders = List.copyOf(threads);
    }

    /**
     * Queues the delete of a handled message. Returns at once unless {@link #maxPending} deletes are already queued;
     * then it waits until a sender made room (never after close, and never lets an interrupt drop the delete).
     */
    void acknowledge(InFlightMessage message) {
        boolean interrupted = false;
        lock.lock();
        try {
            while (running && pending.size() >= maxPending) {
                try {
                    room.await();
                } catch (InterruptedException e) {
                    // The effect is committed: queue the delete anyway, beyond the bound, and keep the interrupt.
                    interrupted = true;
                    break;
                }
            }
            pending.addLast(new Pending(message, System.nanoTime()));
            // A completed batch wakes a sender to send it now. A first delete wakes one to time its flush, unless one
            // is timing already: that wait ends no later than this delete's flush is due (it was timing an older one),
            // and the sender then times what is left. Under load that saves a wake-up per batch. (A sender that took
            // a batch or a release comes back to this queue when its call returns, and times what it finds.)
            if (pending.size() % BATCH == 0 || (pending.size() == 1 && timing == 0)) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues a visibility change of these messages (0: visible to the next receive at once). */
    void changeVisibility(List<InFlightMessage> messages, int visibilitySeconds) {
        if (messages.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (var chunk : BatchEntries.batches(messages)) {
                releases.addLast(new Release(chunk, visibilitySeconds));
            }
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** A sender: releases first (another consumer waits for them), then full batches, then overdue partial ones. */
    private void run() {
        while (true) {
            Release release = null;
            List<InFlightMessage> batch = null;
            lock.lock();
            try {
                while (release == null && batch == null) {
                    if (!releases.isEmpty()) {
                        release = releases.pollFirst();
                    } else if (pending.isEmpty()) {
                        if (!running) {
                            return;
                        }
                        work.await();
                    } else {
                        long wait = pending.peekFirst().since() + flushInterval.toNanos() - System.nanoTime();
                        if (pending.size() >= BATCH || !running || wait <= 0) {
                            batch = take();
                            room.signalAll();
                        } else {
                            timing++;
                            try {
                                work.awaitNanos(wait);
                            } finally {
                                timing--;
                            }
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            try {
                if (release != null) {
                    send(release);
                } else {
                    send(batch);
                }
            } catch (RuntimeException e) {
                // send() logs what SQS answered; this is a bug of ours, and the sender must go on.
                log.error("Acknowledgement sender failed", e);
            }
        }
    }

    /** Up to a batch of the oldest pending deletes; called under the lock. */
    private List<InFlightMessage> take() {
        var batch = new ArrayList<InFlightMessage>(BATCH);
        while (batch.size() < BATCH && !pending.isEmpty()) {
            batch.add(pending.pollFirst().message());
        }
        return batch;
    }

    private void send(List<InFlightMessage> batch) {
        var entries = BatchEntries.numbered(
                batch,
                (id, message) -> DeleteMessageBatchRequestEntry.builder()
                        .id(id)
                        .receiptHandle(message.receiptHandle())
                        .build());
        deleteCalls.increment();
        try {
            var response = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            for (var failed : response.failed()) {
                deleteFailures.increment();
                log.warn(
                        "Delete of {} failed: {} {}",
                        BatchEntries.item(batch, failed.id()).messageId(),
                        failed.code(),
                        failed.message());
            }
        } catch (RuntimeException e) {
            deleteFailures.increment(batch.size());
            log.warn(
                    "DeleteMessageBatch of {} messages failed; they will be redelivered and deduplicated",
                    batch.size(),
                    e);
        }
    }

    private void send(Release release) {
        var chunk = release.messages();
        var entries = BatchEntries.numbered(
                chunk,
                (id, m) -> ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(id)
                        .receiptHandle(m.receiptHandle())
                        .visibilityTimeout(release.visibilitySeconds())
                        .build());
        visibilityCalls.increment();
        try {
            var response =
                    sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
            response.failed()
                    .forEach(f -> log.warn(
                            "Could not change visibility of {}: {} {}",
                            BatchEntries.item(chunk, f.id()).messageId(),
                            f.code(),
                            f.message()));
        } catch (RuntimeException e) {
            log.warn("Could not change visibility of {} messages; they reappear after their timeout", chunk.size(), e);
        }
    }

    /** Sends everything queued (the senders drain the queue, then end) and waits for them, up to 10 s. */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            work.signalAll();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (var sender : senders) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    sender.join(Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (senders.stream().anyMatch(Thread::isAlive)) {
            log.warn("Not every acknowledgement was sent at shutdown; those messages will be redelivered");
        }
    }
}
