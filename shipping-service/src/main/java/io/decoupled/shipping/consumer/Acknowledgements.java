package io.decoupled.shipping.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * Batched acknowledgement: deletes of handled messages are collected and sent ten per DeleteMessageBatch,
 * waiting at most a short interval for a batch to fill. One delete call per ten messages is what brings
 * the consumer to 0.2 API calls per message (one receive and one delete per ten). A message is only
 * queued here after its effect is committed; on shutdown everything queued is flushed.
 */
final class Acknowledgements implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);

    private final SqsAsyncClient sqs;
    private final String queueUrl;
    private final Duration flushInterval;
    private final Counter deleteCalls;
    private final Counter deleteFailures;
    private final BlockingQueue<InFlightMessage> pending = new LinkedBlockingQueue<>();
    private final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();
    private final Thread sender;
    private volatile boolean running = true;

    Acknowledgements(SqsAsyncClient sqs, String queueUrl, Duration flushInterval, MeterRegistry meters) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.flushInterval = flushInterval;
        this.deleteCalls = Counter.builder("shipping.sqs.requests").tag("operation", "DeleteMessageBatch").register(meters);
        this.deleteFailures = Counter.builder("shipping.acknowledgements.failed")
                .description("Deletes SQS rejected; the message comes back and the idempotent handler absorbs it").register(meters);
        this.sender = Thread.ofPlatform().name("sqs-acknowledgements").daemon().start(this::run);
    }

    void acknowledge(InFlightMessage message) {
        pending.add(message);
    }

    private void run() {
        while (running || !pending.isEmpty()) {
            try {
                var first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                var batch = new ArrayList<InFlightMessage>(10);
                batch.add(first);
                long deadline = System.nanoTime() + flushInterval.toNanos();
                while (batch.size() < 10) {
                    long left = deadline - System.nanoTime();
                    var next = running ? pending.poll(Math.max(left, 0), TimeUnit.NANOSECONDS) : pending.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                send(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void send(List<InFlightMessage> batch) {
        var entries = new ArrayList<DeleteMessageBatchRequestEntry>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(batch.get(i).receiptHandle()).build());
        }
        deleteCalls.increment();
        var future = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).whenComplete((response, error) -> {
            if (error != null) {
                deleteFailures.increment(batch.size());
                log.warn("DeleteMessageBatch of {} messages failed; they will be redelivered and deduplicated", batch.size(), error);
                return;
            }
            for (var failed : response.failed()) {
                deleteFailures.increment();
                log.warn("Delete of {} failed: {} {}", batch.get(Integer.parseInt(failed.id())).messageId(), failed.code(), failed.message());
            }
        });
        outstanding.add(future);
        future.whenComplete((r, e) -> outstanding.remove(future));
    }

    /** Sends everything queued and waits for the answers, up to the timeout. */
    @Override
    public void close() {
        running = false;
        try {
            sender.join(Duration.ofSeconds(10));
            CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Not every acknowledgement was confirmed at shutdown; those messages will be redelivered", e);
        }
    }
}
