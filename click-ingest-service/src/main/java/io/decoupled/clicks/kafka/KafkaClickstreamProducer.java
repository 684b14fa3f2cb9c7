package io.decoupled.clicks.kafka;

import io.decoupled.clicks.producer.BufferFullException;
import io.decoupled.clicks.producer.ClickstreamProducer;
import io.decoupled.clicks.producer.OutgoingRecord;
import io.decoupled.clicks.producer.ProducerClosedException;
import io.decoupled.clicks.producer.ProducerMetrics;
import io.decoupled.clicks.producer.RecordDeliveryException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Pattern: batching producer with back-pressure, on Kafka: the Kafka adapter of {@link ClickstreamProducer}, beside
 * {@code BatchingKinesisProducer}. The difference is named here: PutRecords answers per entry and keeps no order on a
 * partial failure, so the Kinesis adapter batches, retries only failed entries and keeps one record per key in flight
 * itself; the Kafka client does all of that on its own (per-partition batches by {@code linger.ms} and
 * {@code batch.size}; retries until {@code delivery.timeout.ms}; with {@code enable.idempotence} and
 * {@code acks=all} a retried batch is neither written twice nor reordered within its partition). The key is the
 * session, so a session stays on one partition, in order.
 *
 * <p>What this class adds is what the client lacks, the same as on Kinesis: a bound on what is held (records and
 * bytes, checked for the whole request: all or none), so that a broker outage turns into 429 with Retry-After instead
 * of request threads blocked in {@code send()} for {@code max.block.ms} and then an error; a future per request that
 * completes when every record is acknowledged by the in-sync replicas, or fails (logged and counted) when the client
 * gave one up; the shared producer meters; and a flush on shutdown after the web server stopped taking clicks.
 *
 * <p>Per record it does as little as the raw client needs (measured, docs/benchmarks.md): a request's records go to
 * {@code Producer.send} inside one {@code KafkaTemplate.execute} with a plain callback, not through
 * {@code KafkaTemplate.send} (a future and a completion stage per record, and spring-kafka's producer listener and
 * observation, which this service does not use); one future per request; and the callbacks release the bound with
 * atomic counters instead of taking the lock that request threads take, so acknowledgements never wait for requests.
 */
public final class KafkaClickstreamProducer implements ClickstreamProducer, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(KafkaClickstreamProducer.class);

    private enum State {
        NEW,
        RUNNING,
        DRAINING,
        STOPPED
    }

    private final KafkaTemplate<String, byte[]> template;
    private final KafkaProducerProperties properties;
    private final ProducerMetrics metrics;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition settled = lock.newCondition();
    // Records and bytes handed to the client and not yet settled: raised under the lock, lowered by the client's
    // callbacks.
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong heldBytes = new AtomicLong();
    private volatile State state = State.NEW;

    public KafkaClickstreamProducer(
            KafkaTemplate<String, byte[]> template, KafkaProducerProperties properties, ProducerMetrics metrics) {
        this.template = template;
        this.properties = properties;
        this.metrics = metrics;
        this.maxBytes = properties.bufferSize().toBytes();
        metrics.bindBuffer(held::get, properties.bufferCapacity());
    }

    @Override
    public CompletableFuture<Void> submit(List<OutgoingRecord> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long bytes = 0;
        for (var record : records) {
            bytes += record.size();
        }
        lock.lock();
        try {
            if (state != State.RUNNING) {
                throw new ProducerClosedException();
            }
            if (held.get() + records.size() > properties.bufferCapacity() || heldBytes.get() + bytes > maxBytes) {
                metrics.rejected(records.size());
                throw new BufferFullException(
                        held.get(), properties.bufferCapacity(), records.size(), properties.retryAfter());
            }
            // Reserved under the lock (so two requests cannot both take the last room); released without it, by the
            // client's I/O thread, so acknowledgements never queue behind request threads for the lock.
            held.addAndGet(records.size());
            heldBytes.addAndGet(bytes);
        } finally {
            lock.unlock();
        }
        var request = new Request(records.size());
        // One producer for the whole request, sent in the caller's order from one thread: records of a session enter
        // their partition's batch in order. One callback object per record, one future per request (not one each).
        var unsent = new ArrayDeque<>(records);
        try {
            template.execute(producer -> {
                while (!unsent.isEmpty()) {
                    var record = unsent.poll();
                    try {
                        producer.send(
                                new ProducerRecord<>(properties.topic(), record.partitionKey(), record.data()),
                                (metadata, failure) -> settle(request, record, failure));
                    } catch (RuntimeException refused) {
                        // The client refused synchronously (closed, or a record it cannot serialise): reported, never
                        // dropped.
                        settle(request, record, refused);
                    }
                }
                return null;
            });
        } catch (RuntimeException noClient) {
            // No client to hand them to (the producer could not be created, e.g. its brokers did not resolve): what was
            // not handed over is settled as failed, so its room in the bound comes back and the caller is answered 503.
            // Left reserved, every such request would shrink the bound for good, until all requests got 429.
            unsent.forEach(record -> settle(request, record, noClient));
        }
        return request.done;
    }

    /** One request's records: the future completes when the last one is settled, exceptionally if any was given up on. */
    private static final class Request {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicInteger pending;
        final AtomicReference<RecordDeliveryException> firstFailure = new AtomicReference<>();

        Request(int records) {
            pending = new AtomicInteger(records);
        }
    }

    private void settle(Request request, OutgoingRecord record, Exception failure) {
        held.decrementAndGet();
        heldBytes.addAndGet(-record.size());
        if (state == State.DRAINING) {
            // Only a shutdown waits for the count to fall; in normal running nobody takes the lock here.
            lock.lock();
            try {
                settled.signalAll();
            } finally {
                lock.unlock();
            }
        }
        if (failure == null) {
            metrics.written();
        } else {
            metrics.failed();
            request.firstFailure.compareAndSet(null, deliveryFailure(record, failure));
        }
        if (request.pending.decrementAndGet() == 0) {
            var failed = request.firstFailure.get();
            if (failed == null) {
                request.done.complete(null);
            } else {
                request.done.completeExceptionally(failed);
            }
        }
    }

    private RecordDeliveryException deliveryFailure(OutgoingRecord record, Exception failure) {
        var cause =
                failure instanceof KafkaProducerException && failure.getCause() != null ? failure.getCause() : failure;
        var code = cause.getClass().getSimpleName();
        var message = "record for key " + record.partitionKey() + " not written to " + properties.topic() + ": " + code
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
        log.error("Clickstream record lost to the caller: {}", message, cause);
        return new RecordDeliveryException(message, code);
    }

    @Override
    public int held() {
        return held.get();
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
        try {
            // Fetch the topic's metadata now, so that the first request does not wait for it inside send().
            var partitions = template.partitionsFor(properties.topic());
            log.info(
                    "Clickstream producer started on Kafka: topic {} with {} partitions, buffer {} records / {}",
                    properties.topic(),
                    partitions.size(),
                    properties.bufferCapacity(),
                    properties.bufferSize());
        } catch (RuntimeException e) {
            log.warn(
                    "Clickstream producer started on Kafka, but the metadata of topic {} is not available yet: {}",
                    properties.topic(),
                    e.toString());
        }
    }

    /** Flush on shutdown: refuses new records and waits, within the shutdown timeout, until the records held are acknowledged. */
    @Override
    public void stop() {
        int left;
        lock.lock();
        try {
            if (state != State.RUNNING) {
                return;
            }
            state = State.DRAINING;
            log.info("Clickstream producer draining {} records held by the Kafka client", held.get());
            long deadline = System.nanoTime() + properties.shutdownTimeout().toNanos();
            while (held.get() > 0 && deadline - System.nanoTime() > 0) {
                // Bounded waits: a callback that settled between the check and the wait is seen at the next check.
                settled.awaitNanos(Math.min(deadline - System.nanoTime(), 50_000_000L));
            }
            left = held.get();
            state = State.STOPPED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            left = held.get();
            state = State.STOPPED;
        } finally {
            lock.unlock();
        }
        if (left > 0) {
            // Still in the client, which keeps trying while the producer factory closes it; their callers are told
            // either way.
            log.warn("Clickstream producer stopped with {} records not yet acknowledged", left);
        } else {
            log.info("Clickstream producer stopped; every record held was acknowledged");
        }
    }

    @Override
    public boolean isRunning() {
        return state == State.RUNNING || state == State.DRAINING;
    }

    /** Stops after the web server has stopped taking requests (and long before the producer factory closes the client). */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024;
    }
}
