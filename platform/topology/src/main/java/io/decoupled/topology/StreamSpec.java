package io.decoupled.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * A Kinesis data stream. {@code localShardCount} is used where shards are provisioned explicitly (the
 * emulators, and AWS in provisioned mode); the CDK app may choose on-demand capacity instead.
 */
public record StreamSpec(String name, int localShardCount, Duration retention) {
    public StreamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(retention, "retention");
        if (localShardCount < 1) {
            throw new IllegalArgumentException("a stream needs at least one shard");
        }
    }
}
