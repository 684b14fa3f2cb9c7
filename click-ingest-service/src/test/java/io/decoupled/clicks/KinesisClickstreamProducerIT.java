package io.decoupled.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.clicks.kafka.KafkaClickstreamProducer;
import io.decoupled.clicks.producer.BatchingKinesisProducer;
import io.decoupled.clicks.stream.StreamRecords;
import io.decoupled.clicks.stream.StreamRecords.StreamRecord;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.topology.Topology;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The producer contract on Kinesis (kinesalite), the default backend: no {@code clickstream.backend} set at all. */
class KinesisClickstreamProducerIT extends ClickstreamProducerContract {

    @DynamicPropertySource
    static void kinesis(DynamicPropertyRegistry registry) {
        withBuffer(SharedAwsEnvironments.embedded().springProperties(), "clickstream.producer.buffer-capacity")
                .forEach((key, value) -> registry.add(key, () -> value));
    }

    @Override
    List<StreamRecord> records() {
        try (var kinesis = SharedAwsEnvironments.embedded().kinesis()) {
            return StreamRecords.readAll(kinesis, Topology.CLICKSTREAM);
        }
    }

    @Test
    void kinesisIsTheDefaultAndNoKafkaAdapterExists() {
        assertThat(producer).isInstanceOf(BatchingKinesisProducer.class);
        assertThat(context.getBeanNamesForType(KafkaClickstreamProducer.class)).isEmpty();
        assertThat(context.getBeanNamesForType(NewTopic.class)).isEmpty();
    }
}
