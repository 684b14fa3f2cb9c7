package io.decoupled.analytics.clicks;

import io.decoupled.analytics.failures.RejectedRecords;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The KCL asks for one processor per shard it leases. When the Spring context closes (before the KCL worker is
 * stopped) every processor waiting out a store outage is woken, so that shutdown does not wait for the database.
 */
@Component
class ClickRecordProcessorFactory implements ShardRecordProcessorFactory {
    private final ClickAggregates aggregates;
    private final RejectedRecords rejectedRecords;
    private final StopSignal stopping = new StopSignal();
    private final JsonMapper json;
    private final ClickMetrics metrics;
    private final ClickTracing tracing;

    ClickRecordProcessorFactory(ClickAggregates aggregates, RejectedRecords rejectedRecords, JsonMapper json, ClickMetrics metrics,
                                ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.aggregates = aggregates;
        this.rejectedRecords = rejectedRecords;
        this.json = json;
        this.metrics = metrics;
        this.tracing = new ClickTracing(tracer.getIfAvailable(), propagator.getIfAvailable());
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new ClickRecordProcessor(aggregates, rejectedRecords, json, metrics, tracing, stopping);
    }

    @EventListener(ContextClosedEvent.class)
    void contextClosing() {
        stopping.stop();
    }
}
