package io.decoupled.shipping.consumer;

import io.decoupled.shipping.sqs.BatchEntries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;

/**
 * Visibility heartbeat: while a message is worked on longer than a threshold, its visibility timeout is
 * extended periodically, batched across all in-flight messages, and never past a maximum. Without it, work
 * that outlasts the queue's visibility timeout makes the message visible again and a second consumer
 * starts the same work; with the maximum, a stuck handler cannot hide a message forever.
 *
 * <p>Spring Cloud AWS's listener container leaves this to the application; it is written here because the batching
 * across messages is the point. The calls block on the consumer's synchronous {@link SqsClient}, on the heartbeat's
 * own thread (never a worker's): the lock below has to be held until SQS answered anyway.
 *
 * <p>An extension must never reach SQS after the message was released (visibility 0 for another consumer, or a
 * backoff): that would hide it again. So extensions are sent under a lock, only for messages still tracked at that
 * moment, and {@link #untrack} takes the same lock: once it returns, no extension of that message is in flight or
 * can start, and the caller may release it.
 */
final class VisibilityHeartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VisibilityHeartbeat.class);
    private static final Set<String> GONE = Set.of(
            "ReceiptHandleIsInvalid",
            "MessageNotInflight",
            "AWS.SimpleQueueService.MessageNotInflight",
            "InvalidParameterValue");

    private final SqsClient sqs;
    private final String queueUrl;
    private final long threshold;
    private final long interval;
    private final long extension;
    private final long maxVisibility;
    private final LongSupplier clock;
    private final Counter extensions;
    private final Counter calls;
    private final Map<String, InFlightMessage> tracked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final ReentrantLock sending = new ReentrantLock();
    /** Test hook: runs between choosing the messages to extend and sending the extension. */
    private volatile Runnable beforeSend = () -> {};

    VisibilityHeartbeat(
            SqsClient sqs,
            String queueUrl,
            ConsumerProperties.Heartbeat settings,
            Duration queueVisibility,
            MeterRegistry meters,
            LongSupplier clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.threshold = settings.threshold().toNanos();
        this.interval = settings.interval().toNanos();
        this.extension = (settings.extension() != null ? settings.extension() : queueVisibility).toNanos();
        this.maxVisibility = settings.maxVisibility().toNanos();
        this.clock = clock;
        this.extensions = Counter.builder("shipping.visibility.extensions")
                .description("Visibility timeout extensions of messages worked on longer than the heartbeat threshold")
                .register(meters);
        this.calls = Counter.builder("shipping.sqs.requests")
                .tag("operation", "ChangeMessageVisibilityBatch")
                .register(meters);
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("visibility-heartbeat").daemon().factory());
        if (settings.enabled()) {
            ticker.scheduleWithFixedDelay(this::tickSafely, interval, interval, TimeUnit.NANOSECONDS);
        }
    }

    void track(InFlightMessage message) {
        tracked.put(message.receiptHandle(), message);
    }

    /**
     * Stops extending: called before the message is deleted or released. Waits for an extension call in flight, so
     * no extension can reach SQS after the caller's release.
     */
    void untrack(InFlightMessage message) {
        sending.lock();
        try {
            tracked.remove(message.receiptHandle());
        } finally {
            sending.unlock();
        }
    }

    void beforeSend(Runnable hook) {
        beforeSend = hook;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Visibility heartbeat tick failed; retrying on the next tick", e);
        }
    }

    /** Extends every message that is past the threshold and would expire before the tick after next. */
    void tick() {
        long now = clock.getAsLong();
        var due = new ArrayList<InFlightMessage>();
        for (var message : tracked.values()) {
            boolean longWork = now - message.receivedAt() >= threshold;
            boolean expiringSoon = message.visibleUntil() - now <= Math.max(2 * interval, extension / 2);
            boolean underMaximum = message.receivedAt() + maxVisibility - now >= TimeUnit.SECONDS.toNanos(1);
            if (longWork && expiringSoon) {
                if (underMaximum) {
                    due.add(message);
                } else if (tracked.remove(message.receiptHandle()) != null) {
                    log.warn(
                            "Message {} reached the maximum visibility of {}; it will become visible again",
                            message.messageId(),
                            Duration.ofNanos(maxVisibility));
                }
            }
        }
        if (due.isEmpty()) {
            return;
        }
        beforeSend.run();
        sending.lock();
        try {
            // Released or deleted since they were chosen: never extend those.
            due.removeIf(m -> !tracked.containsKey(m.receiptHandle()));
            for (var batch : BatchEntries.batches(due)) {
                extend(batch, now);
            }
        } finally {
            sending.unlock();
        }
    }

    private void extend(List<InFlightMessage> batch, long now) {
        var seconds = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            var message = batch.get(i);
            // Never past the maximum: the last extension is shortened to end exactly there.
            long remainingAllowed = message.receivedAt() + maxVisibility - now;
            seconds[i] = (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(Math.min(extension, remainingAllowed)));
        }
        var entries = BatchEntries.numbered(
                batch,
                (id, message) -> ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(id)
                        .receiptHandle(message.receiptHandle())
                        .visibilityTimeout(seconds[Integer.parseInt(id)])
                        .build());
        calls.increment();
        var response =
                sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
        for (var ok : response.successful()) {
            int i = Integer.parseInt(ok.id());
            batch.get(i).extendedUntil(now + TimeUnit.SECONDS.toNanos(seconds[i]));
            extensions.increment();
        }
        for (var failed : response.failed()) {
            var message = BatchEntries.item(batch, failed.id());
            if (GONE.contains(failed.code())) {
                // Deleted or released meanwhile; nothing left to extend.
                tracked.remove(message.receiptHandle());
            } else {
                log.warn(
                        "Could not extend visibility of {}: {} {}",
                        message.messageId(),
                        failed.code(),
                        failed.message());
            }
        }
        log.debug(
                "Extended visibility of {} of {} messages",
                response.successful().size(),
                batch.size());
    }

    int trackedCount() {
        return tracked.size();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
