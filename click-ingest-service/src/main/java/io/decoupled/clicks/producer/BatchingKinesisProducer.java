package io.decoupled.clicks.producer;

import io.decoupled.awscalls.AwsRefusals;
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
 * records dropped because the stream was unusable for a while (throttled, down, its KMS key or the credentials
 * refusing every call); and unbounded memory when callers outpace the stream.
 *
 * <p>How: records wait per partition key; a batch takes at most one record per key, and a key stays busy
 * until its record is written or has finally failed, so a later click of a session can never overtake an
 * earlier one that is being retried. A batch is sent when 500 records (or 5 MiB) are ready, when the oldest
 * has waited {@code linger}, or when a retry is due. Only the failed entries are retried, with exponential
 * backoff and full jitter. A retryable failure (throttling, an internal error, the network, a call refused as a
 * whole) is retried for as long as the service runs: no time budget and no attempt limit, because the bounded buffer
 * already protects memory (callers get 429 while the stream is away), and a budget only turned an outage longer than
 * itself into clicks answered 202 and then dropped. The only final failures are an entry the stream refused with a
 * code that is a verdict on that record, and what is still held when shutdown ends: the record's future completes
 * exceptionally, it is logged and counted. The buffer is bounded: {@link #submit} refuses what does not fit.
 */
public final class BatchingKinesisProducer implements ClickstreamProducer, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(BatchingKinesisProducer.class);

    /**
     * Error codes (of one entry, or of a whole call) that say the stream cannot take records right now, not that
     * something is wrong with a record: a hot shard, Kinesis's own failures, and refusals of every request alike
     * beyond the shared ones of {@link AwsRefusals} (the stream's KMS key, expired or unrecognised credentials): IAM
     * refusing the role, a stream deleted, being updated or over an account limit. Each ends when someone acts
     * (the key enabled again, the policy fixed, the stream recreated), so the records wait for that.
     */
    private static final Set<String> STREAM_UNUSABLE = Set.of(
            "ProvisionedThroughputExceededException",
            "InternalFailure",
            "ServiceUnavailable",
            "ThrottlingException",
            "AccessDeniedException",
            "NotAuthorized",
            "OptInRequired",
            "ResourceNotFoundException",
            "ResourceInUseException",
            "LimitExceededException");

    /** How often a failure of whole calls that goes on is logged again. */
    private static final long OUTAGE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

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
    // When whole calls began to fail (0: the last call was answered), when that was last logged (at most every
    // OUTAGE_LOG_INTERVAL_NANOS, also across short recoveries: a record refused alone every few seconds while the
    // others are written logs twice a minute, not each time), and whether the current failure has been logged.
    private long outageSince;
    private long outageLoggedAt = System.nanoTime() - OUTAGE_LOG_INTERVAL_NANOS;
    private boolean outageLogged;
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
            if ((pending.alone && !batch.isEmpty()) || bytes + pending.size > maxBatchBytes) {
                break;
            }
            retries.poll();
            batch.add(pending);
            bytes += pending.size;
            if (pending.alone) {
                return batch;
            }
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
        }
        metrics.call(batch.size(), Duration.ofNanos(System.nanoTime() - start));
        var completions = new ArrayList<Runnable>(batch.size());
        lock.lock();
        try {
            long now = System.nanoTime();
            boolean isolate = false;
            if (callFailure != null) {
                callFailed(callFailure, batch.size(), now);
                isolate = batch.size() > 1 && mayBeARecordsFault(callFailure);
            } else {
                callAnswered(now);
            }
            for (int i = 0; i < batch.size(); i++) {
                var pending = batch.get(i);
                String error;
                boolean retryable;
                if (callFailure != null) {
                    // Never a verdict on these records: see mayBeARecordsFault.
                    error = errorCode(callFailure);
                    retryable = true;
                    pending.lastMessage = callFailure.getMessage();
                    pending.alone |= isolate;
                } else {
                    var result = response.records().get(i);
                    error = result.errorCode();
                    retryable = streamUnusable(error);
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

    /** A call failed as a whole: logged when that starts and every half minute while it goes on. Under the lock. */
    private void callFailed(RuntimeException failure, int records, long now) {
        if (outageSince == 0) {
            outageSince = now;
        }
        if (now - outageLoggedAt < OUTAGE_LOG_INTERVAL_NANOS) {
            return;
        }
        outageLoggedAt = now;
        outageLogged = true;
        var seconds = TimeUnit.NANOSECONDS.toSeconds(now - outageSince);
        var code = errorCode(failure);
        if (failure instanceof SdkException) {
            log.warn(
                    "PutRecords to {} failing as a whole for {} s, last with {} ({}): its {} records are kept and"
                            + " retried; the buffer holds {} of {}",
                    properties.stream(),
                    seconds,
                    code,
                    failure.getMessage(),
                    records,
                    held,
                    properties.bufferCapacity());
        } else {
            // Not an answer of Kinesis nor of the SDK: a bug somewhere, so with its stack trace.
            log.error(
                    "PutRecords to {} threw an unexpected {} (failing for {} s): its {} records are kept and retried;"
                            + " the buffer holds {} of {}",
                    properties.stream(),
                    code,
                    seconds,
                    records,
                    held,
                    properties.bufferCapacity(),
                    failure);
        }
    }

    /** A call was answered (whatever its entries' outcome). Under the lock. */
    private void callAnswered(long now) {
        if (outageSince != 0) {
            if (outageLogged) {
                log.info(
                        "PutRecords to {} answered again after {} s of failed calls",
                        properties.stream(),
                        TimeUnit.NANOSECONDS.toSeconds(now - outageSince));
            }
            outageSince = 0;
            outageLogged = false;
        }
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

    /** Whether an error code says the stream cannot take records now (retry), rather than judging one record. */
    static boolean streamUnusable(String errorCode) {
        return errorCode != null && (STREAM_UNUSABLE.contains(errorCode) || AwsRefusals.refusesEveryRequest(errorCode));
    }

    /**
     * Whether a call refused as a whole might have been refused for one of its records rather than for the stream:
     * an answer of Kinesis that is neither throttling nor a 5xx nor a refusal of every request alike
     * ({@code ValidationException}, {@code InvalidArgumentException}, a code we do not know).
     *
     * <p>Even then the records are retried, never failed: a whole-call failure is not a verdict on them. Kinesis
     * refuses an entry for its key length, its size, or the entries and bytes of the call, and those are checked
     * before a record is taken ({@link OutgoingRecord}) and when a batch is cut ({@link #takeBatch}); the stream name,
     * which every request carries, is checked at start-up ({@link ProducerProperties}). So such an answer means
     * something all requests share is wrong (the client, an interceptor, a limit that changed), and failing it would
     * drop every click buffered, or our checks are behind Kinesis's and one record is at fault. For the second case the
     * records of the call are retried one per call from then on, so that a record the stream will not take holds
     * back only its own session (whose later clicks wait behind it until shutdown reports it), never the others.
     */
    private static boolean mayBeARecordsFault(RuntimeException failure) {
        return failure instanceof AwsServiceException service
                && service.statusCode() < 500
                && !service.isThrottlingException()
                && !streamUnusable(errorCode(service));
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
        // Sent in a call of its own: a call it was part of was refused in a way that may have been its fault.
        boolean alone;
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
