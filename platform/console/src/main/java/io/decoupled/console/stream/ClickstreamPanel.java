package io.decoupled.console.stream;

import io.decoupled.console.panel.Panel;

/**
 * The dashboard's clickstream panel, whichever broker carries the stream: {@link ClickstreamMonitor} for Kinesis (shards,
 * KCL checkpoints) or {@link KafkaClickstreamMonitor} for Kafka (partitions, committed offsets), chosen by
 * {@code console.stream.backend}.
 */
public interface ClickstreamPanel {
    Panel<StreamView> read();
}
