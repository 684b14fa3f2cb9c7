package io.decoupled.analytics.clicks;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import tools.jackson.databind.json.JsonMapper;

/** The KCL asks for one processor per shard it leases. */
@Component
class ClickRecordProcessorFactory implements ShardRecordProcessorFactory {
    private final ClickAggregates aggregates;
    private final JsonMapper json;
    private final ClickMetrics metrics;
    private final ClickTracing tracing;

    ClickRecordProcessorFactory(ClickAggregates aggregates, JsonMapper json, ClickMetrics metrics,
                                ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.aggregates = aggregates;
        this.json = json;
        this.metrics = metrics;
        this.tracing = new ClickTracing(tracer.getIfAvailable(), propagator.getIfAvailable());
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new ClickRecordProcessor(aggregates, json, metrics, tracing);
    }
}
