package io.decoupled.analytics.clicks;

import io.decoupled.analytics.failures.Failures;
import io.decoupled.analytics.failures.RejectedRecords;
import io.decoupled.analytics.failures.Rejection;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The port between the clickstream and its effect ("consume clicks with a checkpoint"): a batch of records in stream
 * order goes in, and the answer says whether the checkpoint (a KCL checkpoint, a Kafka offset commit) may now pass
 * them. Both adapters, {@link ClickRecordProcessor} (KCL) and {@link ClickKafkaListener} (Kafka), call this one
 * implementation, so the two backends count, deduplicate and set aside exactly alike.
 *
 * <p>Pattern: effect before checkpoint, with poison isolation. Every failure is classified ({@link Failures}):
 * <ul>
 * <li><b>poison</b> (unreadable, a timestamp no store holds, a value PostgreSQL refuses): the record is isolated by
 *     bisecting the batch (halves applied in separate transactions until the bad record is alone), set aside in
 *     {@code rejected_record} with its reason, and every other record is still applied exactly once; the stream
 *     moves on;</li>
 * <li><b>transient</b> (database unreachable, timeouts): the same records are retried with backoff, nothing may be
 *     checkpointed meanwhile (the shard or partition waits, as an ordered consumer must). The wait ends when the
 *     service stops or the caller's own stop signal fires ({@link Outcome#STOPPED}), or, if the caller gave one, when
 *     its patience runs out ({@link Outcome#RETRY_LATER}); then the caller must not checkpoint and must read the
 *     batch again.</li>
 * </ul>
 * A replay of records already applied changes nothing (the click-id dedupe in {@link ClickAggregates}); setting
 * aside is idempotent too, so a batch given up half-way may simply be read again.
 */
@Component
class ClickBatches {
    private static final Logger log = LoggerFactory.getLogger(ClickBatches.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    enum Outcome {
        /** Every record is counted or set aside, durably: the checkpoint may pass the batch. */
        DURABLE,
        /** The service (or this reader) is stopping while the store was failing: do not checkpoint. */
        STOPPED,
        /** The store kept failing for longer than the caller's patience: do not checkpoint, read the batch again later. */
        RETRY_LATER
    }

    private final ClickAggregates aggregates;
    private final RejectedRecords rejectedRecords;
    private final JsonMapper json;
    private final ClickMetrics metrics;
    private final ClickTracing tracing;
    private final StopSignal serviceStopping;

    @Autowired
    ClickBatches(
            ClickAggregates aggregates,
            RejectedRecords rejectedRecords,
            JsonMapper json,
            ClickMetrics metrics,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<Propagator> propagator) {
        this(
                aggregates,
                rejectedRecords,
                json,
                metrics,
                new ClickTracing(tracer.getIfAvailable(), propagator.getIfAvailable()),
                new StopSignal());
    }

    ClickBatches(
            ClickAggregates aggregates,
            RejectedRecords rejectedRecords,
            JsonMapper json,
            ClickMetrics metrics,
            ClickTracing tracing,
            StopSignal serviceStopping) {
        this.aggregates = aggregates;
        this.rejectedRecords = rejectedRecords;
        this.json = json;
        this.metrics = metrics;
        this.tracing = tracing;
        this.serviceStopping = serviceStopping;
    }

    /**
     * Wakes every retry wait when the Spring context closes, which happens before the KCL worker and the Kafka
     * listener containers are stopped, so that shutdown does not wait for the database.
     */
    @EventListener(ContextClosedEvent.class)
    void contextClosing() {
        serviceStopping.stop();
    }

    /** One record of a batch: the click, or the reason it can never be counted. */
    private record Entry(ClickstreamRecord record, ClickRecorded click, String defect) {}

    /**
     * Applies the batch: counts every good click once, sets every poison record aside.
     *
     * @param label    where the batch was read (a shard, a topic's partitions), for logs and spans
     * @param own      the reader's own stop signal (a lease lost), besides the service-wide one
     * @param patience how long transient failures are retried before giving up with {@link Outcome#RETRY_LATER};
     *                 null to retry until stopped
     */
    Outcome apply(List<ClickstreamRecord> records, String label, StopSignal own, Duration patience) {
        if (records.isEmpty()) {
            return Outcome.DURABLE;
        }
        var attempt =
                new Attempt(label, own, patience == null ? Long.MAX_VALUE : System.nanoTime() + patience.toNanos());
        var entries = records.stream().map(this::parse).toList();
        // Set aside the unreadable first: if the service stops midway, the replay does it again (idempotently).
        for (var entry : entries) {
            if (entry.defect() != null) {
                var outcome = setAside(entry, entry.defect(), attempt);
                if (outcome != Outcome.DURABLE) {
                    return outcome;
                }
            }
        }
        return applyIsolatingPoison(
                entries.stream().filter(e -> e.click() != null).toList(), attempt);
    }

    /** One call of {@link #apply}: its label, stop signal and deadline. */
    private record Attempt(String label, StopSignal own, long deadline) {}

    private Entry parse(ClickstreamRecord record) {
        try {
            var click = json.readValue(record.data(), ClickRecorded.class);
            var defect = click.defect();
            return defect == null ? new Entry(record, click, null) : new Entry(record, null, defect);
        } catch (RuntimeException e) {
            return new Entry(record, null, "not a click: " + Failures.reason(e));
        }
    }

    /**
     * Applies the clicks in one transaction; if PostgreSQL refuses it as poison, applies each half on its own,
     * recursively, until the poison record is alone and can be set aside. Halves keep their order, so per-session
     * order holds.
     */
    private Outcome applyIsolatingPoison(List<Entry> entries, Attempt attempt) {
        if (entries.isEmpty()) {
            return Outcome.DURABLE;
        }
        var clicks = entries.stream().map(Entry::click).toList();
        var result = retryingTransient(
                () -> {
                    // One consumer span per traced click, continuing the trace of the request that accepted it, open
                    // while it is applied.
                    var spans = tracing.start(clicks, attempt.label());
                    try {
                        long start = System.nanoTime();
                        var applied = aggregates.apply(clicks);
                        metrics.applied(applied, Duration.ofNanos(System.nanoTime() - start));
                        return null;
                    } finally {
                        spans.forEach(Span::end);
                    }
                },
                entries.size() + " clicks",
                attempt);
        if (result.poison == null) {
            return result.outcome;
        }
        if (entries.size() == 1) {
            return setAside(entries.getFirst(), Failures.reason(result.poison), attempt);
        }
        metrics.bisected();
        int middle = entries.size() / 2;
        var first = applyIsolatingPoison(entries.subList(0, middle), attempt);
        return first != Outcome.DURABLE
                ? first
                : applyIsolatingPoison(entries.subList(middle, entries.size()), attempt);
    }

    private Outcome setAside(Entry entry, String reason, Attempt attempt) {
        var record = entry.record();
        var rejection = new Rejection(
                ClickRecordProcessor.SOURCE,
                record.location(),
                record.position(),
                record.partitionKey(),
                record.data(),
                reason);
        var result = retryingTransient(
                () -> {
                    rejectedRecords.setAside(rejection);
                    metrics.rejected();
                    return null;
                },
                "a rejected record",
                attempt);
        if (result.poison != null) {
            // Cannot happen with a sanitised reason and a bytea payload; if it does, the record is lost loudly, not
            // silently.
            log.error(
                    "Could not set aside record {} of {} ({}); it is skipped",
                    record.position(),
                    record.location(),
                    reason,
                    result.poison);
            metrics.unrecorded();
            return Outcome.DURABLE;
        }
        return result.outcome;
    }

    /** The result of a store attempt that retried transient failures: an outcome, or the poison failure. */
    private record Result(Outcome outcome, RuntimeException poison) {}

    /** Runs {@code store} until it succeeds or fails as poison, backing off while it fails transiently. */
    private Result retryingTransient(Supplier<Void> store, String what, Attempt attempt) {
        var backoff = FIRST_BACKOFF;
        // The stop signal is checked only between attempts: a batch the database takes is applied (and checkpointed)
        // even while the service stops, which makes the hand-over to the next reader shorter.
        while (true) {
            try {
                store.get();
                return new Result(Outcome.DURABLE, null);
            } catch (RuntimeException e) {
                if (Failures.classify(e) == Failures.Kind.POISON) {
                    return new Result(null, e);
                }
                metrics.storeFailure();
                if (System.nanoTime() - attempt.deadline() >= 0) {
                    log.warn(
                            "Could not store {} of {}; giving the batch back to be read again (nothing is checkpointed): {}",
                            what,
                            attempt.label(),
                            Failures.reason(e));
                    return new Result(Outcome.RETRY_LATER, null);
                }
                log.warn(
                        "Could not store {} of {}; retrying in {} (nothing is checkpointed meanwhile): {}",
                        what,
                        attempt.label(),
                        backoff,
                        Failures.reason(e));
                if (StopSignal.awaitAny(backoff, attempt.own(), serviceStopping)) {
                    return new Result(Outcome.STOPPED, null);
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
