package io.decoupled.shipping.consumer;

import io.decoupled.shipping.sqs.BatchEntries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * Batched acknowledgement: deletes of handled messages are collected and sent ten per DeleteMessageBatch,
 * waiting at most a short interval for a batch to fill. One delete call per ten messages is what brings
 * the consumer to 0.2 API calls per message (one receive and one delete per ten). A message is only
 * queued here after its effect is committed; on shutdown everything queued is flushed.
 *
 * <p>A full batch goes out at once from the worker whose delete completed it (no timer, no hand-off to another
 * thread); the flusher thread only sends a partial batch whose oldest delete has waited the flush interval.
 */
final class Acknowledgements implements AutoCloseable {
    private static final int BATCH = 10;
    private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);

    private final SqsAsyncClient sqs;
    private final String queueUrl;
    private final Duration flushInterval;
    private final Counter deleteCalls;
    private final Counter deleteFailures;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();
    private final Thread flusher;
    private volatile boolean running = true;

    private record Pending(InFlightMessage message, long since) {}

    Acknowledgements(SqsAsyncClient sqs, String queueUrl, Duration flushInterval, MeterRegistry meters) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.flushInterval = flushInterval;
        this.deleteCalls = Counter.builder("shipping.sqs.requests")
                .tag("operation", "DeleteMessageBatch")
                .register(meters);
        this.deleteFailures = Counter.builder("shipping.acknowledgements.failed")
                .description("Deletes SQS rejected; the message comes back and the idempotent handler absorbs it")
                .register(meters);
        this.flusher = Thread.ofPlatform().name("sqs-acknowledgements").daemon().start(this::run);
    }

    void acknowledge(InFlightMessage message) {
        List<InFlightMessage> full = null;
        lock.lock();
        try {
            pending.addLast(new Pending(message, System.nanoTime()));
            if (pending.size() >= BATCH) {
                full = take();
            } else if (pending.size() == 1) {
                added.signal();
            }
        } finally {
            lock.unlock();
        }
        if (full != null) {
            send(full);
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

    private void run() {
        while (true) {
            List<InFlightMessage> batch;
            lock.lock();
            try {
                if (pending.isEmpty()) {
                    if (!running) {
                        return;
                    }
                    added.await(100, TimeUnit.MILLISECONDS);
                    continue;
                }
                long wait = pending.peekFirst().since() + flushInterval.toNanos() - System.nanoTime();
                if (running && wait > 0) {
                    added.awaitNanos(wait);
                    continue;
                }
                batch = take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            send(batch);
        }
    }

    private void send(List<InFlightMessage> batch) {
        var entries = BatchEntries.numbered(
                batch,
                (id, message) -> DeleteMessageBatchRequestEntry.builder()
                        .id(id)
                        .receiptHandle(message.receiptHandle())
                        .build());
        deleteCalls.increment();
        var future = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries))
                .whenComplete((response, error) -> {
                    if (error != null) {
                        deleteFailures.increment(batch.size());
                        log.warn(
                                "DeleteMessageBatch of {} messages failed; they will be redelivered and deduplicated",
                                batch.size(),
                                error);
                        return;
                    }
                    for (var failed : response.failed()) {
                        deleteFailures.increment();
                        log.warn(
                                "Delete of {} failed: {} {}",
                                BatchEntries.item(batch, failed.id()).messageId(),
                                failed.code(),
                                failed.message());
                    }
                });
        outstanding.add(future);
        future.whenComplete((r, e) -> outstanding.remove(future));
    }

    /** Sends everything queued and waits for the answers, up to the timeout. */
    @Override
    public void close() {
        running = false;
        lock.lock();
        try {
            added.signal();
        } finally {
            lock.unlock();
        }
        try {
            flusher.join(Duration.ofSeconds(10));
            CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Not every acknowledgement was confirmed at shutdown; those messages will be redelivered", e);
        }
    }
}
