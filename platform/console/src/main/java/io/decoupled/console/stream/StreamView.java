package io.decoupled.console.stream;

import java.util.List;

/**
 * The clickstream as the dashboard shows it.
 *
 * @param recordsPerSecond ingest rate over the rate window, all shards together
 * @param leaseTable the KCL lease table the lag is read from, or null while none exists (on Kafka: the consumer group)
 * @param backend    {@code kinesis} (shards, KCL checkpoints) or {@code kafka} (partitions, committed offsets)
 */
public record StreamView(
        String stream,
        double recordsPerSecond,
        long recordsSeen,
        String leaseTable,
        List<Shard> shards,
        String backend) {

    /**
     * One shard (on Kafka: one partition, its member in {@code leaseOwner} and its committed offset in {@code checkpoint}).
     * {@code lag} is records written but not yet checkpointed by the KCL or committed by the group (null when unknown);
     * {@code lagAtLeast} marks a lag larger than the console keeps track of.
     */
    public record Shard(
            String shardId,
            String parentShardId,
            boolean open,
            long recordsSeen,
            double recordsPerSecond,
            Long lag,
            boolean lagAtLeast,
            String leaseOwner,
            String checkpoint) {}
}
