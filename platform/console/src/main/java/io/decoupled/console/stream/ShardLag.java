package io.decoupled.console.stream;

import java.math.BigInteger;
import java.util.ArrayDeque;

/**
 * The records of one shard that the console has seen and the KCL has not yet checkpointed past: the
 * consumer's lag in records, which the KCL itself does not publish without CloudWatch. Sequence numbers grow
 * within a shard, so everything at or below the checkpoint can be forgotten and the rest is the lag.
 */
final class ShardLag {
    static final String TRIM_HORIZON = "TRIM_HORIZON";
    static final String LATEST = "LATEST";
    static final String SHARD_END = "SHARD_END";

    private final ArrayDeque<BigInteger> pending = new ArrayDeque<>();
    private final int capacity;
    private boolean overflowed;
    private boolean shardEnded;

    ShardLag(int capacity) {
        this.capacity = capacity;
    }

    void seen(String sequenceNumber) {
        if (shardEnded) {
            return;
        }
        pending.addLast(new BigInteger(sequenceNumber));
        if (pending.size() > capacity) {
            pending.removeFirst();
            overflowed = true;
        }
    }

    /**
     * Applies a checkpoint as the KCL stores it: a sequence number or one of its sentinels. Returns the lag in
     * records, or null when it cannot be known (no lease yet is "everything", LATEST is unknowable).
     */
    Long applyCheckpoint(String checkpoint) {
        if (checkpoint == null || checkpoint.equals(TRIM_HORIZON)) {
            return (long) pending.size();
        }
        if (checkpoint.equals(SHARD_END)) {
            shardEnded = true;
            pending.clear();
            return 0L;
        }
        if (checkpoint.equals(LATEST) || !checkpoint.chars().allMatch(Character::isDigit)) {
            return null;
        }
        var position = new BigInteger(checkpoint);
        while (!pending.isEmpty() && pending.peekFirst().compareTo(position) <= 0) {
            pending.removeFirst();
        }
        return (long) pending.size();
    }

    /** True when more records were pending than the console keeps: the lag is then at least the number shown. */
    boolean overflowed() {
        return overflowed;
    }
}
