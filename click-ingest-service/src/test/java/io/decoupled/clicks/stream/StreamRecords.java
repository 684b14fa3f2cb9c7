package io.decoupled.clicks.stream;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Test helper: everything a stream holds, read shard by shard from the trim horizon, in each shard's order. */
public final class StreamRecords {
    public record StreamRecord(String shardId, String sequenceNumber, String partitionKey, String data) {}

    private StreamRecords() {}

    public static List<StreamRecord> readAll(KinesisClient kinesis, String stream) {
        var all = new ArrayList<StreamRecord>();
        for (var shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
            var iterator = kinesis.getShardIterator(r -> r.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (iterator != null) {
                var current = iterator;
                var response = kinesis.getRecords(r -> r.shardIterator(current).limit(10_000));
                response.records()
                        .forEach(r -> all.add(new StreamRecord(
                                shard.shardId(),
                                r.sequenceNumber(),
                                r.partitionKey(),
                                r.data().asUtf8String())));
                if (response.records().isEmpty()
                        && (response.millisBehindLatest() == null || response.millisBehindLatest() == 0)) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
        }
        return all;
    }
}
