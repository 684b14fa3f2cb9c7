package io.decoupled.analytics.clicks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pattern: checkpoint after the effect is durable. One processor per shard lease; the KCL hands it the
 * shard's records in order. A batch is committed to PostgreSQL first and checkpointed second, so a crash
 * between the two replays the batch, which the click-id dedupe absorbs: at-least-once delivery, exactly-once
 * counting. The opposite order would lose the batch on such a crash.
 *
 * <p>The KCL does not redeliver a batch whose processRecords threw, so a failing database is retried here
 * (the shard waits, as an ordered consumer must); an unreadable record is set aside, never retried. On lease
 * loss nothing is checkpointed (the lease is gone); at shard end the final checkpoint lets the child shards
 * of a split or merge start, after their parents.
 */
final class ClickRecordProcessor implements ShardRecordProcessor {
    private static final Logger log = LoggerFactory.getLogger(ClickRecordProcessor.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int CHECKPOINT_ATTEMPTS = 5;

    private final ClickAggregates aggregates;
    private final JsonMapper json;
    private final ClickMetrics metrics;
    private final ClickTracing tracing;
    private String shardId = "unknown";

    ClickRecordProcessor(ClickAggregates aggregates, JsonMapper json, ClickMetrics metrics, ClickTracing tracing) {
        this.aggregates = aggregates;
        this.json = json;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        log.info("Reading {} from {}", shardId, input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        var records = input.records();
        if (records.isEmpty()) {
            return;
        }
        var clicks = new ArrayList<ClickRecorded>(records.size());
        var rejected = new ArrayList<RejectedRecord>();
        for (var record : records) {
            parse(record, clicks, rejected);
        }
        // One consumer span per traced click, continuing the trace of the request that accepted it, open while the batch is applied.
        var spans = tracing.start(clicks, shardId);
        boolean applied;
        try {
            applied = applyDurably(clicks, rejected);
        } finally {
            spans.forEach(io.micrometer.tracing.Span::end);
        }
        if (!applied) {
            return;
        }
        var last = records.getLast();
        checkpoint(input.checkpointer(), last, "batch");
    }

    private void parse(KinesisClientRecord record, List<ClickRecorded> clicks, List<RejectedRecord> rejected) {
        var bytes = new byte[record.data().remaining()];
        record.data().duplicate().get(bytes);
        try {
            var click = json.readValue(bytes, ClickRecorded.class);
            var defect = click.defect();
            if (defect == null) {
                clicks.add(click);
                return;
            }
            rejected.add(new RejectedRecord(shardId, record.sequenceNumber(), defect));
        } catch (JacksonException e) {
            rejected.add(new RejectedRecord(shardId, record.sequenceNumber(), "not a click: " + e.getOriginalMessage()));
        }
        log.warn("Set aside unreadable record {} of {}: {} ({})", record.sequenceNumber(), shardId, rejected.getLast().reason(),
                new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8));
    }

    /** Commits the batch, retrying with backoff while the database fails; false if the worker is stopping meanwhile. */
    private boolean applyDurably(List<ClickRecorded> clicks, List<RejectedRecord> rejected) {
        var backoff = Duration.ofMillis(100);
        while (true) {
            try {
                long start = System.nanoTime();
                var applied = aggregates.apply(clicks, rejected);
                metrics.applied(applied, rejected.size(), Duration.ofNanos(System.nanoTime() - start));
                return true;
            } catch (DataAccessException e) {
                metrics.storeFailure();
                log.warn("Could not store {} clicks of {}; retrying in {} (nothing is checkpointed meanwhile)", clicks.size(), shardId, backoff, e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
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
        log.info("Lease of {} lost; stopping without a checkpoint", shardId);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        // Required: without this checkpoint the children of a split or merge would never be read.
        log.info("{} ended (resharded); checkpointing its end so that its child shards start", shardId);
        checkpoint(input.checkpointer(), null, "shard end");
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        // Every batch handed to us is already durable, so checkpointing the last one is safe.
        checkpoint(input.checkpointer(), null, "shutdown");
    }
}
