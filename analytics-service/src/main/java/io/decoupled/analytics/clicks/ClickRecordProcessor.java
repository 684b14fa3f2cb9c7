package io.decoupled.analytics.clicks;

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

/**
 * Pattern: checkpoint after the effect is durable, with poison isolation: the KCL adapter of the clickstream port
 * ({@link ClickBatches}; the Kafka one is {@link ClickKafkaListener}). One processor per shard lease; the KCL hands it
 * the shard's records in order. A batch is committed to PostgreSQL first and checkpointed second, so a crash between
 * the two replays the batch, which the click-id dedupe absorbs: at-least-once delivery, exactly-once counting. The
 * opposite order would lose the batch on such a crash.
 *
 * <p>The KCL does not redeliver a batch whose processRecords threw, and the next batch's checkpoint would pass
 * it: so this processor never throws. Poison is set aside and the shard moves on; a transient failure is retried
 * without a checkpoint for as long as it lasts (the shard waits, as an ordered consumer must; {@link ClickBatches}
 * says how). The service stopping ends the wait at once, without a checkpoint, and the next owner of the lease
 * replays from the last one. On lease loss nothing is checkpointed (the lease is gone); at shard end the final
 * checkpoint lets the child shards of a split or merge start, after their parents.
 */
final class ClickRecordProcessor implements ShardRecordProcessor {
    static final String SOURCE = "clickstream";
    private static final Logger log = LoggerFactory.getLogger(ClickRecordProcessor.class);
    private static final int CHECKPOINT_ATTEMPTS = 5;

    private final ClickBatches batches;
    private final StopSignal stopping = new StopSignal();
    private String shardId = "unknown";
    /** Set when a batch was given up unapplied (the service is stopping): nothing may be checkpointed after it. */
    private volatile boolean abandoned;

    ClickRecordProcessor(ClickBatches batches) {
        this.batches = batches;
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
            var batch = records.stream().map(this::toPortRecord).toList();
            if (batches.apply(batch, shardId, stopping, null) != ClickBatches.Outcome.DURABLE) {
                abandon();
                return;
            }
            checkpoint(input.checkpointer(), records.getLast(), "batch");
        } catch (RuntimeException unexpected) {
            // Not a store failure (those are classified): a bug. Never throw into the KCL, which would skip the
            // batch; stop this shard without a checkpoint so that the next owner replays it, and say so loudly.
            log.error(
                    "Unexpected failure processing {} records of {}; not checkpointing, the shard stops here",
                    records.size(),
                    shardId,
                    unexpected);
            abandon();
        }
    }

    private void abandon() {
        abandoned = true;
        log.info("Stopping {} without a checkpoint; the next owner of the lease replays from the last one", shardId);
    }

    private ClickstreamRecord toPortRecord(KinesisClientRecord record) {
        var bytes = new byte[record.data().remaining()];
        record.data().duplicate().get(bytes);
        var position =
                record.sequenceNumber() + (record.subSequenceNumber() == 0 ? "" : "/" + record.subSequenceNumber());
        return new ClickstreamRecord(shardId, position, record.partitionKey(), bytes);
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
                log.info(
                        "Lease of {} lost before the {} checkpoint; the next owner resumes from the previous one",
                        shardId,
                        why);
                return;
            } catch (ThrottlingException | KinesisClientLibDependencyException e) {
                log.warn(
                        "Checkpoint ({}) of {} failed, attempt {} of {}",
                        why,
                        shardId,
                        attempt,
                        CHECKPOINT_ATTEMPTS,
                        e);
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
            log.warn(
                    "{} ended but a batch of it was not applied; no shard-end checkpoint, the next owner replays it",
                    shardId);
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
