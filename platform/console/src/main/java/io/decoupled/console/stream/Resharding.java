package io.decoupled.console.stream;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The "split a shard" fault switch and its reversal, on the real stream: SplitShard halves the widest open shard's
 * hash range, MergeShards joins two adjacent open shards back into one. Both make the KCL consumer finish the
 * parents before it reads the children (the failure it exposes: a consumer that reads children early reorders a
 * session's clicks, or one that never finishes a closed parent loses them); the charts show the new shards and the lag.
 */
@Component
@ConditionalOnProperty(name = "console.stream.backend", havingValue = "kinesis", matchIfMissing = true)
public class Resharding {
    private final KinesisClient kinesis;
    private final StreamProperties properties;

    Resharding(KinesisClient kinesis, StreamProperties properties) {
        this.kinesis = kinesis;
        this.properties = properties;
    }

    /** Splits the open shard with the widest hash range at its middle; returns what was done, in words. */
    public String split() {
        var widest = open().stream()
                .max(Comparator.comparing(Resharding::width))
                .orElseThrow(() -> new IllegalStateException("the stream " + properties.name() + " has no open shard"));
        var range = widest.hashKeyRange();
        var middle = new BigInteger(range.startingHashKey()).add(width(widest).shiftRight(1));
        kinesis.splitShard(r ->
                r.streamName(properties.name()).shardToSplit(widest.shardId()).newStartingHashKey(middle.toString()));
        return "split " + widest.shardId() + " of " + properties.name() + " in two";
    }

    /** Merges two adjacent open shards (the narrowest pair first, so a split is undone first). */
    public String merge() {
        var shards = open().stream()
                .sorted(Comparator.comparing(
                        s -> new BigInteger(s.hashKeyRange().startingHashKey())))
                .toList();
        Optional<Shard[]> pair = Optional.empty();
        for (int i = 0; i + 1 < shards.size(); i++) {
            var left = shards.get(i);
            var right = shards.get(i + 1);
            boolean adjacent = new BigInteger(left.hashKeyRange().endingHashKey())
                    .add(BigInteger.ONE)
                    .equals(new BigInteger(right.hashKeyRange().startingHashKey()));
            if (adjacent
                    && (pair.isEmpty()
                            || width(left)
                                            .add(width(right))
                                            .compareTo(width(pair.get()[0]).add(width(pair.get()[1])))
                                    < 0)) {
                pair = Optional.of(new Shard[] {left, right});
            }
        }
        var chosen = pair.orElseThrow(() -> new IllegalStateException(
                "the stream " + properties.name() + " has no two adjacent open shards to merge"));
        kinesis.mergeShards(r -> r.streamName(properties.name())
                .shardToMerge(chosen[0].shardId())
                .adjacentShardToMerge(chosen[1].shardId()));
        return "merged " + chosen[0].shardId() + " and " + chosen[1].shardId() + " of " + properties.name();
    }

    private List<Shard> open() {
        return ClickstreamMonitor.listShards(kinesis, properties.name()).stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
                .toList();
    }

    private static BigInteger width(Shard shard) {
        return new BigInteger(shard.hashKeyRange().endingHashKey())
                .subtract(new BigInteger(shard.hashKeyRange().startingHashKey()));
    }
}
