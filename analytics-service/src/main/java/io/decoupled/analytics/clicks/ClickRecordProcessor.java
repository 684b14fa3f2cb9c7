package io.decoupled.analytics.clicks;

import io.decoupled.analytics.failures.Failures;
import io.decoupled.analytics.failures.RejectedRecords;
import io.decoupled.analytics.failures.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pattern: checkpoint after the effect is durable, with poison isolation. One processor per shard lease; the KCL
 * hands it the shard's records in order. A batch is committed to PostgreSQL first and checkpointed second, so a
 * crash between the two replays the batch, which the click-id dedupe absorbs: at-least-once delivery,
 * exactly-once counting. The opposite order would lose the batch on such a crash.
 *
 * <p>The KCL does not redeliver a batch whose processRecords threw, and the next batch's checkpoint would pass
 * it: so this processor never throws, and every failure is classified ({@link Failures}):
 * <ul>
 * <li><b>poison</b> (unreadable, a timestamp no store holds, a value PostgreSQL refuses): the record is isolated
 *     by bisecting the batch (halves applied in separate transactions until the bad record is alone), set aside
 *     in {@code rejected_record} with its reason, and every other record is still applied exactly once;</li>
 * <li><b>transient</b> (database unreachable, timeouts): the same records are retried with backoff and nothing is
 *     checkpointed meanwhile (the shard waits, as an ordered consumer must); the service stopping ends the wait
 *     at once, without a checkpoint, and the next owner of the lease replays from the last one.</li>
 * </ul>
 * On lease loss nothing is checkpointed (the lease is gone); at shard end the final checkpoint lets the child
 * shards of a split or merge start, after their parents.
 */
final class ClickRecordProcessor implements ShardRecordProcessor {
    static final String SOURCE = "clickstream";
    private static final Logger log = LoggerFactory.getLogger(ClickRecordProcessor.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int CHECKPOINT_ATTEMPTS = 5;

    private final ClickAggregates aggregates;
    private final RejectedRecords rejectedRecords;
    private final JsonMapper json;
    private final ClickMetrics metrics;
    private final ClickTracing tracing;
    private final StopSignal serviceStopping;
    private final StopSignal stopping = new StopSignal();
    private String shardId = "unknown";
    /** Set when a batch was given up unapplied (the service is stopping): nothing may be checkpointed after it. */
    private volatile boolean abandoned;

    ClickRecordProcessor(ClickAggregates aggregates, RejectedRecords rejectedRecords, JsonMapper json, ClickMetrics metrics,
                         ClickTracing tracing, StopSignal serviceStopping) {
        this.aggregates = aggregates;
        this.rejectedRecords = rejectedRecords;
        this.json = json;
        this.metrics = metrics;
        this.tracing = tracing;
        this.serviceStopping = serviceStopping;
    }

    /** One record of a batch: the click, or the reason it can never be counted. */
    private record Entry(KinesisClientRecord record, byte[] data, ClickRecorded click, String defect) {
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        log.info("Reading {} from {}", shardId, input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        var records = input.records();
        if (records.isEmpty() || abandoned) {
            return;
        }
        try {
            var entries = records.stream().map(this::parse).toList();
            var defective = entries.stream().filter(e -> e.defect() != null).toList();
            var clicks = entries.stream().filter(e -> e.click() != null).toList();
            // Set aside the unreadable first: if the service stops midway, the replay does it again (idempotently).
            for (var entry : defective) {
                if (!setAside(entry, entry.defect())) {
                    abandon();
                    return;
                }
            }
            if (!applyIsolatingPoison(clicks)) {
                abandon();
                return;
            }
            checkpoint(input.checkpointer(), records.getLast(), "batch");
        } catch (RuntimeException unexpected) {
            // Not a store failure (those are classified above): a bug. Never throw into the KCL, which would skip the
            // batch; stop this shard without a checkpoint so that the next owner replays it, and say so loudly.
            log.error("Unexpected failure processing {} records of {}; not checkpointing, the shard stops here", records.size(), shardId,
                    unexpected);
            abandon();
        }
    }

    private void abandon() {
        abandoned = true;
        log.info("Stopping {} without a checkpoint; the next owner of the lease replays from the last one", shardId);
    }

    private Entry parse(KinesisClientRecord record) {
        var bytes = new byte[record.data().remaining()];
        record.data().duplicate().get(bytes);
        try {
            var click = json.readValue(bytes, ClickRecorded.class);
            var defect = click.defect();
            return defect == null ? new Entry(record, bytes, click, null) : new Entry(record, bytes, null, defect);
        } catch (RuntimeException e) {
            return new Entry(record, bytes, null, "not a click: " + Failures.reason(e));
        }
    }

    /**
     * Applies the clicks in one transaction; if PostgreSQL refuses it as poison, applies each half on its own,
     * recursively, until the poison record is alone and can be set aside. Halves keep their order, so per-session
     * order holds. A transient failure retries the same records. False if the service stopped meanwhile.
     */
    private boolean applyIsolatingPoison(List<Entry> entries) {
        if (entries.isEmpty()) {
            return true;
        }
        var clicks = entries.stream().map(Entry::click).toList();
        var outcome = retryingTransient(() -> {
            // One consumer span per traced click, continuing the trace of the request that accepted it, open while it is applied.
            var spans = tracing.start(clicks, shardId);
            try {
                long start = System.nanoTime();
                var applied = aggregates.apply(clicks);
                metrics.applied(applied, Duration.ofNanos(System.nanoTime() - start));
                return null;
            } finally {
                spans.forEach(io.micrometer.tracing.Span::end);
            }
        }, entries.size() + " clicks");
        if (outcome == Outcome.DONE) {
            return true;
        }
        if (outcome == Outcome.STOPPED) {
            return false;
        }
        var poison = outcome.poison;
        if (entries.size() == 1) {
            return setAside(entries.getFirst(), Failures.reason(poison));
        }
        metrics.bisected();
        int middle = entries.size() / 2;
        return applyIsolatingPoison(entries.subList(0, middle)) && applyIsolatingPoison(entries.subList(middle, entries.size()));
    }

    private boolean setAside(Entry entry, String reason) {
        var record = entry.record();
        var rejection = new Rejection(SOURCE, shardId, record.sequenceNumber() + subSequence(record), record.partitionKey(), entry.data(), reason);
        var outcome = retryingTransient(() -> {
            rejectedRecords.setAside(rejection);
            metrics.rejected();
            return null;
        }, "a rejected record");
        if (outcome.poison != null) {
            // Cannot happen with a sanitised reason and a bytea payload; if it does, the record is lost loudly, not silently.
            log.error("Could not set aside record {} of {} ({}); it is skipped", record.sequenceNumber(), shardId, reason, outcome.poison);
            metrics.unrecorded();
            return true;
        }
        return outcome == Outcome.DONE;
    }

    private static String subSequence(KinesisClientRecord record) {
        return record.subSequenceNumber() == 0 ? "" : "/" + record.subSequenceNumber();
    }

    /** The result of a store attempt that retried transient failures: done, poison (with its failure), or stopped. */
    private static final class Outcome {
        static final Outcome DONE = new Outcome(null);
        static final Outcome STOPPED = new Outcome(null);
        final RuntimeException poison;

        private Outcome(RuntimeException poison) {
            this.poison = poison;
        }
    }

    /** Runs {@code store} until it succeeds or fails as poison, backing off while it fails transiently. */
    private Outcome retryingTransient(Supplier<Void> store, String what) {
        var backoff = FIRST_BACKOFF;
        // The stop signal is checked only between attempts: a batch the database takes is applied (and checkpointed)
        // even while the service stops, which makes the hand-over to the next lease owner shorter.
        while (true) {
            try {
                store.get();
                return Outcome.DONE;
            } catch (RuntimeException e) {
                if (Failures.classify(e) == Failures.Kind.POISON) {
                    return new Outcome(e);
                }
                metrics.storeFailure();
                log.warn("Could not store {} of {}; retrying in {} (nothing is checkpointed meanwhile): {}", what, shardId, backoff,
                        Failures.reason(e));
                if (StopSignal.awaitAny(backoff, stopping, serviceStopping)) {
                    return Outcome.STOPPED;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer, KinesisClientRecord last, String why) {
        for (int attempt = 1; attempt <= CHECKPOINT_ATTEMPTS; attempt++) {
            try {
                if (last == null) {
                    checkpointer.checkpoint();
                } else {
                    checkpointer.checkpoint(last.sequenceNumber(), last.subSequenceNumber());
                }
                return;
            } catch (ShutdownException e) {
                // The lease moved on: the new owner replays from the previous checkpoint; the dedupe absorbs it.
                log.info("Lease of {} lost before the {} checkpoint; the next owner resumes from the previous one", shardId, why);
                return;
            } catch (ThrottlingException | KinesisClientLibDependencyException e) {
                log.warn("Checkpoint ({}) of {} failed, attempt {} of {}", why, shardId, attempt, CHECKPOINT_ATTEMPTS, e);
            } catch (InvalidStateException e) {
                log.error("Checkpoint ({}) of {} impossible: the lease table is not usable", why, shardId, e);
                return;
            }
        }
        // Not fatal for counting: the records are durable and deduplicated; a later checkpoint covers them.
        log.error("Checkpoint ({}) of {} not written after {} attempts", why, shardId, CHECKPOINT_ATTEMPTS);
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        // No checkpoint: the lease belongs to another worker now, and checkpointing would fail anyway.
        stopping.stop();
        log.info("Lease of {} lost; stopping without a checkpoint", shardId);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        if (abandoned) {
            // A batch of this shard is not durable: ending the shard would let its children start past it.
            log.warn("{} ended but a batch of it was not applied; no shard-end checkpoint, the next owner replays it", shardId);
            return;
        }
        // Required: without this checkpoint the children of a split or merge would never be read.
        log.info("{} ended (resharded); checkpointing its end so that its child shards start", shardId);
        checkpoint(input.checkpointer(), null, "shard end");
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        stopping.stop();
        if (abandoned) {
            // checkpoint() with no argument would mark the unapplied batch as done.
            return;
        }
        // Every batch handed to us is already durable, so checkpointing the last one is safe.
        checkpoint(input.checkpointer(), null, "shutdown");
    }
}
