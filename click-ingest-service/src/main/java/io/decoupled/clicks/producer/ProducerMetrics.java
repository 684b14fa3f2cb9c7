package io.decoupled.clicks.producer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The producer's meters, named for the dashboard: records written (its rate is records per second),
 * records per PutRecords call, entry retries, final failures, rejected records, and buffer fill. Both adapters of
 * {@link ClickstreamProducer} record into the same meters (the Kafka client batches and retries by itself, so
 * the per-call and retry meters stay at zero on Kafka; the client's own metrics tell those).
 */
public final class ProducerMetrics {
    private final MeterRegistry registry;
    private final Counter written;
    private final Counter retried;
    private final Counter failed;
    private final Counter rejected;
    private final DistributionSummary recordsPerCall;
    private final Timer callLatency;

    public ProducerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.written = Counter.builder("clickstream.producer.records")
                .description("Records written to the stream")
                .register(registry);
        this.retried = Counter.builder("clickstream.producer.retries")
                .description("Failed PutRecords entries sent again")
                .register(registry);
        this.failed = Counter.builder("clickstream.producer.failures")
                .description("Records given up on after every attempt")
                .register(registry);
        this.rejected = Counter.builder("clickstream.producer.rejected")
                .description("Records refused because the buffer was full")
                .register(registry);
        this.recordsPerCall = DistributionSummary.builder("clickstream.producer.batch.records")
                .description("Records per PutRecords call")
                .register(registry);
        this.callLatency = Timer.builder("clickstream.producer.put")
                .description("PutRecords call latency")
                .register(registry);
    }

    public void bindBuffer(IntSupplier held, int capacity) {
        Gauge.builder("clickstream.producer.buffer.records", held, s -> s.getAsInt())
                .strongReference(true)
                .description("Records held by the producer")
                .register(registry);
        Gauge.builder("clickstream.producer.buffer.fill", held, s -> (double) s.getAsInt() / capacity)
                .strongReference(true)
                .description("Fraction of the buffer in use")
                .register(registry);
    }

    public void written() {
        written.increment();
    }

    void retried() {
        retried.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void rejected(int records) {
        rejected.increment(records);
    }

    void call(int records, Duration latency) {
        recordsPerCall.record(records);
        callLatency.record(latency);
    }
}
