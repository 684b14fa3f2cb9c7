package io.decoupled.console.history;

import java.util.List;
import java.util.Map;

/**
 * GET /api/history: the window as columns on one time axis ({@code t}, epoch seconds), the shape the page's
 * charting library draws directly. A null in a column is a gap (not read at that instant).
 *
 * @param consumed per shard: records per second the consumer checkpointed, derived as ingest minus the change in
 *                 lag over the interval (the KCL and the Kafka group publish positions, not rates)
 */
public record Charts(
        long windowSeconds,
        List<Double> t,
        List<Long> queueVisible,
        List<Long> queueInFlight,
        List<Double> workersCurrent,
        List<Double> workersDesired,
        List<Double> outboxBacklog,
        List<Long> deadLetters,
        Map<String, ShardSeries> shards) {

    /** One shard's columns. */
    public record ShardSeries(List<Double> ingest, List<Double> consumed, List<Long> lag) {}
}
