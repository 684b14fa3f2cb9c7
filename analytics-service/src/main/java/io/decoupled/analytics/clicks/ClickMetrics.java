package io.decoupled.analytics.clicks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** Clicks counted (its rate is the consumer's throughput), duplicates absorbed, records set aside, store failures, bisections. */
@Component
class ClickMetrics {
    private final Counter counted;
    private final Counter duplicates;
    private final Counter outOfOrder;
    private final Counter rejected;
    private final Counter storeFailures;
    private final Counter bisections;
    private final Counter unrecorded;
    private final Timer batch;

    ClickMetrics(MeterRegistry registry) {
        counted = Counter.builder("analytics.clicks.counted")
                .description("Clicks counted once")
                .register(registry);
        duplicates = Counter.builder("analytics.clicks.duplicates")
                .description("Clicks delivered again and not counted again")
                .register(registry);
        outOfOrder = Counter.builder("analytics.clicks.out_of_order")
                .description("Clicks older than their session's latest")
                .register(registry);
        rejected = Counter.builder("analytics.clicks.rejected")
                .description("Records set aside: unreadable, or refused by the store as poison")
                .register(registry);
        storeFailures = Counter.builder("analytics.clicks.store_failures")
                .description("Batches retried because the store failed")
                .register(registry);
        bisections = Counter.builder("analytics.clicks.bisections")
                .description("Batches split to isolate a poison record")
                .register(registry);
        unrecorded = Counter.builder("analytics.clicks.unrecorded")
                .description("Poison records that could not even be set aside")
                .register(registry);
        batch = Timer.builder("analytics.clicks.batch")
                .description("Time to store one KCL batch")
                .register(registry);
    }

    void applied(ClickAggregates.Applied applied, Duration took) {
        counted.increment(applied.counted());
        duplicates.increment(applied.duplicates());
        outOfOrder.increment(applied.outOfOrder());
        batch.record(took);
    }

    void rejected() {
        rejected.increment();
    }

    void bisected() {
        bisections.increment();
    }

    void unrecorded() {
        unrecorded.increment();
    }

    void storeFailure() {
        storeFailures.increment();
    }
}
