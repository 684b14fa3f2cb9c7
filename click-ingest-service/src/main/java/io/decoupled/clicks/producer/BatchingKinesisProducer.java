package io.decoupled.clicks.producer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * Pattern: batching producer with partial-failure retry and back-pressure (the SDK used directly, because
 * the per-entry outcome of PutRecords is the point). The Kinesis adapter of {@link ClickstreamProducer}; the Kafka one
 * ({@code io.decoupled.clicks.kafka.KafkaClickstreamProducer}) leaves batching and retries to the Kafka client.
 *
 * <p>Failures it prevents: one call per click (throughput bound by round trips); entries that a PutRecords
 * call rejected being lost, since the call itself succeeds with {@code FailedRecordCount > 0}; a retry
 * reordering a session, since PutRecords does not keep order within a request when an entry fails; accepted
 * records dropped because the stream was throttled or down for a while; and unbounded memory when callers outpace
 * the stream.
 *
 * <p>How: records wait per partition key; a batch takes at most one record per key, and a key stays busy
 * until its record is written or has finally failed, so a later click of a session can never overtake an
 * earlier one that is being retried. A batch is sent when 500 records (or 5 MiB) are ready, when the oldest
 * has waited {@code linger}, or when a retry is due. Only the failed entries are retried, with exponential
 * backoff and full jitter. A retryable failure (throttling, an internal error, the network) is retried for as long
 * as the service runs: no time budget and no attempt limit, because the bounded buffer already protects memory
 * (callers get 429 while the stream is away), and a budget only turned an outage longer than itself into clicks
 * answered 202 and then dropped. The only final failures are an entry the stream refused with a code that is a
 * verdict on that record, and what is still held when shutdown ends: the record's future completes exceptionally, it
 * is logged and counted. The buffer is bounded: {@link #submit} refuses what does not fit.
 */
public final class BatchingKinesisProducer implements ClickstreamProducer, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(BatchingKinesisProducer.class);

    /** Entry error codes that are worth another attempt; anything else (an access or KMS key problem) is final. */
    private static final Set<String> RETRYABLE_ENTRY_ERRORS =
            Set.of("ProvisionedThroughputExceededException", "InternalFailure", "KMSThrottlingException");

    private enum State {
        NEW,
        RUNNING,
        DRAINING,
        STOPPED
    }

    private final KinesisClient kinesis;
    private final ProducerProperties properties;
    private final ProducerMetrics metrics;
    private final Backoff backoff;
    private final long lingerNanos;
    private final long maxBatchBytes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // All fields below are guarded by lock. Invariant: a key is in readyKeys iff it has queued records and is not busy.
    private final Map<String, ArrayDeque<Pending>> queuedByKey = new HashMap<>();
    private final ArrayDeque<String> readyKeys = new ArrayDeque<>();
    private final Set<String> busyKeys = new HashSet<>();
    private final PriorityQueue<Pending> retries = new PriorityQueue<>(Comparator.comparingLong(p -> p.notBefore));
    private final List<Thread> senders = new ArrayList<>();
    private volatile int held;
    private volatile State state = State.NEW;
    // Records a sender finally failed after stop() had given up waiting (their call was still under way).
    private int failedAfterStop;

    public BatchingKinesisProducer(KinesisClient kinesis, ProducerProperties properties, ProducerMetrics metrics) {
        this.kinesis = kinesis;
        this.properties = properties;
        this.metrics = metrics;
        this.backoff = new Backoff(properties.backoffBase(), properties.backoffMax());
        this.lingerNanos = properties.linger().toNanos();
        this.maxBatchBytes = properties.maxBatchSize().toBytes();
        metrics.bindBuffer(this::held, properties.bufferCapacity());
    }

    /**
     * Buffers all the records or none of them. The future completes when every record is on the stream, or
     * exceptionally with a {@link RecordDeliveryException} when one finally failed.
     *
     * @throws BufferFullException       when the records do not fit; nothing was buffered
     * @throws ProducerClosedException   when the producer is not running
     */
    @Override
    public CompletableFuture<Void> submit(List<OutgoingRecord> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        var futures = new CompletableFuture<?>[records.size()];
        lock.lock();
        try {
            if (state != State.RUNNING) {
                throw new ProducerClosedException();
            }
            if (held + records.size() > properties.bufferCapacity()) {
                metrics.rejected(records.size());
                throw new BufferFullException(
                        held, properties.bufferCapacity(), records.size(), properties.retryAfter());
            }
            long now = System.nanoTime();
            for (int i = 0; i < records.size(); i++) {
                var pending = new Pending(records.get(i), now);
                futures[i] = pending.done;
                enqueue(pending);
            }
            held += records.size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return CompletableFuture.allOf(futures);
    }

    /** Records held: waiting, in flight, or waiting for a retry. */
    @Override
    public int held() {
        return held;
    }

    private void enqueue(Pending pending) {
        var key = pending.record.partitionKey();
        var queue = queuedByKey.get(key);
        if (queue == null) {
            queue = new ArrayDeque<>();
            queuedByKey.put(key, queue);
            if (!busyKeys.contains(key)) {
                readyKeys.addLast(key);
            }
        }
        queue.addLast(pending);
    }

    private void release(String key) {
        busyKeys.remove(key);
        if (queuedByKey.containsKey(key)) {
            readyKeys.addLast(key);
        }
    }

    private void runSender() {
        while (true) {
            List<Pending> batch;
            lock.lock();
            try {
                batch = awaitBatch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (batch == null) {
                return;
            }
            send(batch);
        }
    }

    /** Waits until a batch should go out and takes it; null when the producer has stopped or drained. */
    private List<Pending> awaitBatch() throws InterruptedException {
        while (true) {
            if (state == State.STOPPED || (state == State.DRAINING && held == 0)) {
                return null;
            }
            long now = System.nanoTime();
            boolean retryDue = !retries.isEmpty() && retries.peek().notBefore - now <= 0;
            boolean anyReady = !readyKeys.isEmpty();
            long lingerLeft = anyReady ? oldestReady().enqueuedAt + lingerNanos - now : Long.MAX_VALUE;
            boolean send = retryDue
                    || readyKeys.size() >= properties.maxBatchRecords()
                    || (anyReady && (lingerLeft <= 0 || state == State.DRAINING));
            if (send) {
                var batch = takeBatch(now);
                if (!batch.isEmpty()) {
                    return batch;
                }
            }
            long retryLeft = retries.isEmpty() ? Long.MAX_VALUE : retries.peek().notBefore - now;
            long wait = Math.min(lingerLeft, retryLeft);
            if (wait == Long.MAX_VALUE) {
                changed.await();
            } else {
                changed.awaitNanos(Math.max(wait, 100_000));
            }
        }
    }

    private Pending oldestReady() {
        return queuedByKey.get(readyKeys.peekFirst()).peekFirst();
    }

    private List<Pending> takeBatch(long now) {
        var batch = new ArrayList<Pending>(Math.min(properties.maxBatchRecords(), held));
        long bytes = 0;
        // Due retries first: their keys stayed busy, so nothing of theirs has overtaken them.
        while (!retries.isEmpty()
                && retries.peek().notBefore - now <= 0
                && batch.size() < properties.maxBatchRecords()) {
            var pending = retries.peek();
            if (bytes + pending.size > maxBatchBytes) {
                break;
            }
            retries.poll();
            batch.add(pending);
            bytes += pending.size;
        }
        // Then the oldest waiting record of each ready key, one per key.
        while (!readyKeys.isEmpty() && batch.size() < properties.maxBatchRecords()) {
            var key = readyKeys.peekFirst();
            var queue = queuedByKey.get(key);
            var pending = queue.peekFirst();
            if (bytes + pending.size > maxBatchBytes) {
                break;
            }
            readyKeys.pollFirst();
            queue.pollFirst();
            if (queue.isEmpty()) {
                queuedByKey.remove(key);
            }
            busyKeys.add(key);
            batch.add(pending);
            bytes += pending.size;
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        var request = PutRecordsRequest.builder()
                .streamName(properties.stream())
                .records(batch.stream().map(p -> p.entry).toList())
                .build();
        long start = System.nanoTime();
        PutRecordsResponse response = null;
        RuntimeException callFailure = null;
        try {
            response = kinesis.putRecords(request);
            if (response.records().size() != batch.size()) {
                callFailure = SdkException.create(
                        "PutRecords answered " + response.records().size() + " results for " + batch.size()
                                + " entries",
                        null);
            }
        } catch (RuntimeException e) {
            // Not only SdkException: whatever the client throws (a bug in it or in an interceptor) is a failed call
            // like any other. Letting it end this thread would leave the batch's keys busy and its records counted
            // in the buffer for good, and the producer would stall.
            callFailure = e;
            if (!(e instanceof SdkException)) {
                log.error(
                        "PutRecords to {} threw an unexpected {}: its {} records are kept and retried",
                        properties.stream(),
                        e.getClass().getSimpleName(),
                        batch.size(),
                        e);
            }
        }
        metrics.call(batch.size(), Duration.ofNanos(System.nanoTime() - start));
        var completions = new ArrayList<Runnable>(batch.size());
        lock.lock();
        try {
            long now = System.nanoTime();
            for (int i = 0; i < batch.size(); i++) {
                var pending = batch.get(i);
                String error;
                boolean retryable;
                if (callFailure != null) {
                    error = errorCode(callFailure);
                    retryable = isRetryable(callFailure);
                } else {
                    var result = response.records().get(i);
                    error = result.errorCode();
                    retryable = error != null && RETRYABLE_ENTRY_ERRORS.contains(error);
                    pending.lastMessage = result.errorMessage();
                }
                if (error == null) {
                    completions.add(() -> pending.done.complete(null));
                    finish(pending);
                    metrics.written();
                } else if (retryable && state != State.STOPPED) {
                    pending.attempts++;
                    pending.lastError = error;
                    pending.notBefore =
                            now + backoff.delayBeforeRetry(pending.attempts - 1).toNanos();
                    retries.add(pending);
                    metrics.retried();
                } else {
                    pending.lastError = error;
                    completions.add(failure(pending, callFailure));
                    finish(pending);
                    if (state == State.STOPPED) {
                        failedAfterStop++;
                    }
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    private void finish(Pending pending) {
        held--;
        release(pending.record.partitionKey());
    }

    private Runnable failure(Pending pending, Exception cause) {
        metrics.failed();
        var message = "record for key " + pending.record.partitionKey() + " not written to " + properties.stream()
                + " after " + pending.attempts + " attempt(s): " + pending.lastError
                + (pending.lastMessage == null ? "" : " (" + pending.lastMessage + ")");
        log.error("Clickstream record lost to the caller: {}", message, cause);
        var exception = new RecordDeliveryException(message, pending.lastError);
        return () -> pending.done.completeExceptionally(exception);
    }

    private static String errorCode(RuntimeException e) {
        if (e instanceof AwsServiceException service
                && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }

    /**
     * Whole-call failures worth retrying: throttling, server errors, client-side I/O and anything that is not an
     * answer of Kinesis; not bad requests.
     */
    private static boolean isRetryable(RuntimeException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return true;
    }

    @Override
    public void start() {
        lock.lock();
        try {
            if (state != State.NEW) {
                return;
            }
            state = State.RUNNING;
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < properties.senders(); i++) {
            senders.add(Thread.ofPlatform().name("clickstream-sender-" + i).start(this::runSender));
        }
        log.info(
                "Clickstream producer started: stream {}, {} senders, buffer {}",
                properties.stream(),
                properties.senders(),
                properties.bufferCapacity());
    }

    /**
     * Flush on shutdown: refuses new records, sends what it holds (retries included) within the shutdown timeout, and
     * fails whatever is left (counted and logged, never dropped silently), also when the stopping thread is interrupted
     * while it waits: then it fails what is left at once, does not wait for the senders, and keeps the interrupt.
     */
    @Override
    public void stop() {
        var remaining = new ArrayList<Runnable>();
        boolean interrupted = false;
        lock.lock();
        try {
            if (state != State.RUNNING) {
                return;
            }
            state = State.DRAINING;
            log.info("Clickstream producer draining {} buffered records", held);
            changed.signalAll();
            long deadline = System.nanoTime() + properties.shutdownTimeout().toNanos();
            try {
                while (held > 0 && deadline - System.nanoTime() > 0) {
                    changed.awaitNanos(deadline - System.nanoTime());
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            state = State.STOPPED;
            var reason = interrupted ? "ShutdownInterrupted" : "ShutdownTimeout";
            for (var queue : queuedByKey.values()) {
                queue.forEach(p -> {
                    p.lastError = reason;
                    remaining.add(failure(p, null));
                });
            }
            // A record waiting for a retry keeps its last error, the reason it was not written.
            retries.forEach(p -> remaining.add(failure(p, null)));
            held -= remaining.size();
            queuedByKey.clear();
            readyKeys.clear();
            retries.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        remaining.forEach(Runnable::run);
        for (var sender : senders) {
            if (interrupted) {
                break;
            }
            try {
                sender.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        int failed;
        int inCall;
        lock.lock();
        try {
            failed = remaining.size() + failedAfterStop;
            // Now held only by a sender whose call has not returned: it completes them (written, or failed and
            // counted) when it does.
            inCall = held;
        } finally {
            lock.unlock();
        }
        if (inCall == 0) {
            log.info(
                    "Clickstream producer stopped{}; {} records could not be sent before shutdown",
                    interrupted ? " (interrupted)" : "",
                    failed);
        } else {
            log.warn(
                    "Clickstream producer stopped{}; {} records could not be sent before shutdown, {} still in a"
                            + " PutRecords call are reported by their sender when it returns",
                    interrupted ? " (interrupted)" : "",
                    failed,
                    inCall);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return state == State.RUNNING || state == State.DRAINING;
    }

    /** Stops after the web server has stopped taking requests, so that every accepted click is flushed. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024;
    }

    /** One record on its way; mutable fields are guarded by the producer's lock. */
    private static final class Pending {
        final OutgoingRecord record;
        final PutRecordsRequestEntry entry;
        final int size;
        final long enqueuedAt;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int attempts = 1;
        long notBefore;
        String lastError;
        String lastMessage;

        Pending(OutgoingRecord record, long enqueuedAt) {
            this.record = record;
            this.entry = PutRecordsRequestEntry.builder()
                    .partitionKey(record.partitionKey())
                    .data(SdkBytes.fromByteArrayUnsafe(record.data()))
                    .build();
            this.size = record.size();
            this.enqueuedAt = enqueuedAt;
        }
    }
}
