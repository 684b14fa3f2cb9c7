package io.decoupled.analytics.clicks;

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

    ClickRecordProcessorFactory(ClickAggregates aggregates, JsonMapper json, ClickMetrics metrics) {
        this.aggregates = aggregates;
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new ClickRecordProcessor(aggregates, json, metrics);
    }
}
