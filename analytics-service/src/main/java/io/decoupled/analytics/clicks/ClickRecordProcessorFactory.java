package io.decoupled.analytics.clicks;

import io.decoupled.analytics.ClickstreamBackend;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * The KCL asks for one processor per shard it leases; each applies its batches through the shared {@link ClickBatches},
 * whose service-wide stop signal wakes every processor waiting out a store outage when the Spring context closes.
 * Only on the Kinesis backend.
 */
@Component
@ConditionalOnProperty(name = ClickstreamBackend.PROPERTY, havingValue = "kinesis", matchIfMissing = true)
class ClickRecordProcessorFactory implements ShardRecordProcessorFactory {
    private final ClickBatches batches;

    ClickRecordProcessorFactory(ClickBatches batches) {
        this.batches = batches;
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new ClickRecordProcessor(batches);
    }
}
