package io.decoupled.console.history;

import java.time.Instant;
import java.util.Map;

/**
 * The numbers the charts draw, taken from one dashboard snapshot. A null is a number the console could not read
 * at that instant (the chart leaves a gap rather than drawing a false zero).
 *
 * @param shards per shard (or Kafka partition): records per second written, and the consumer's lag in records
 */
public record Sample(
        Instant at,
        Long queueVisible,
        Long queueInFlight,
        Double workersCurrent,
        Double workersDesired,
        Double outboxBacklog,
        Long deadLetters,
        Map<String, Shard> shards) {

    /** One shard at this instant. */
    public record Shard(double ingestPerSecond, Long lag) {}
}
