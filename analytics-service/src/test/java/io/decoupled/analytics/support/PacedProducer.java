package io.decoupled.analytics.support;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixture: load that keeps coming through a fault. Writes clicks in small PutRecords batches at a steady pace,
 * as click-ingest would, and retries a batch that failed (all of it, with the same click ids) until it is
 * accepted, so that every click is accepted exactly once from the producer's point of view. A batch whose
 * answer was lost may be on the stream twice; the consumer's dedupe must absorb that.
 */
public final class PacedProducer implements AutoCloseable {
    private final AnalyticsEnvironment env;
    private final List<AnalyticsEnvironment.Click> clicks;
    private final int batchSize;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("paced-producer").daemon().factory());
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final Map<String, BigInteger> lastSequenceByShard = new ConcurrentHashMap<>();

    public PacedProducer(
            AnalyticsEnvironment env, List<AnalyticsEnvironment.Click> clicks, int batchSize, Duration interval) {
        this.env = env;
        this.clicks = List.copyOf(clicks);
        this.batchSize = batchSize;
        scheduler.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        int from = written.get();
        if (from >= clicks.size()) {
            scheduler.shutdown();
            return;
        }
        try {
            var puts = env.putOnce(clicks.subList(from, Math.min(clicks.size(), from + batchSize)));
            puts.forEach(
                    p -> lastSequenceByShard.merge(p.shardId(), new BigInteger(p.sequenceNumber()), BigInteger::max));
            written.addAndGet(puts.size());
        } catch (RuntimeException e) {
            // Unreachable endpoint or a partly failed batch: the same batch again on the next tick.
            failedAttempts.incrementAndGet();
        }
    }

    /** Clicks accepted by the stream so far. */
    public int written() {
        return written.get();
    }

    public boolean done() {
        return written.get() == clicks.size();
    }

    public int failedAttempts() {
        return failedAttempts.get();
    }

    /** The highest sequence number the stream gave a click of this producer, by shard. */
    public Map<String, BigInteger> lastSequenceByShard() {
        return Map.copyOf(lastSequenceByShard);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
