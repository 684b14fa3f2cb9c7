package io.decoupled.clicks;

import io.decoupled.clicks.stream.ClickIngestKafkaBroker;
import io.decoupled.clicks.stream.StreamRecords.StreamRecord;
import io.decoupled.localaws.KafkaContainerBroker;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The producer contract on a real Apache Kafka broker (the pinned {@code apache/kafka} image in Testcontainers) instead
 * of the embedded one, with the same settings as {@link KafkaClickstreamProducerIT}. Needs Docker; skipped without it.
 */
@EnabledIf(value = "io.decoupled.localaws.LocalStackEnvironment#dockerAvailable", disabledReason = "no Docker engine")
class KafkaContainerClickstreamProducerIT extends ClickstreamProducerContract {
    static final String TOPIC = "clicks-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        var properties = Map.of(
                "clickstream.backend",
                "kafka",
                "clickstream.kafka.topic",
                TOPIC,
                "clickstream.kafka.partitions",
                "3",
                "spring.kafka.bootstrap-servers",
                KafkaContainerBroker.bootstrapServers());
        withBuffer(properties, "clickstream.kafka.buffer-capacity")
                .forEach((key, value) -> registry.add(key, () -> value));
    }

    @Override
    List<StreamRecord> records() {
        return ClickIngestKafkaBroker.readAll(KafkaContainerBroker.bootstrapServers(), TOPIC);
    }
}
