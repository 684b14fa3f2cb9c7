package io.decoupled.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.clicks.kafka.KafkaClickstreamProducer;
import io.decoupled.clicks.producer.BatchingKinesisProducer;
import io.decoupled.clicks.stream.ClickIngestKafkaBroker;
import io.decoupled.clicks.stream.StreamRecords.StreamRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The producer contract on Kafka (spring-kafka-test's embedded KRaft broker, one per test JVM), on a topic of this
 * class's own that the service creates. No AWS setting at all: a Kafka deployment needs none. The properties also
 * try to weaken the producer ({@code acks=1}, idempotence off), which the service must overrule.
 */
class KafkaClickstreamProducerIT extends ClickstreamProducerContract {
    static final String TOPIC = "clicks-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        var properties = Map.of(
                "clickstream.backend", "kafka",
                "clickstream.kafka.topic", TOPIC,
                "clickstream.kafka.partitions", "3",
                "spring.kafka.bootstrap-servers", ClickIngestKafkaBroker.bootstrapServers(),
                "spring.kafka.producer.acks", "1",
                "spring.kafka.producer.properties.enable.idempotence", "false");
        withBuffer(properties, "clickstream.kafka.buffer-capacity")
                .forEach((key, value) -> registry.add(key, () -> value));
    }

    @Autowired
    ProducerFactory<?, ?> producerFactory;

    @Override
    List<StreamRecord> records() {
        return ClickIngestKafkaBroker.readAll(TOPIC);
    }

    @Test
    void theProducerIsIdempotentWithAcksAllWhateverTheSpringKafkaPropertiesSay() {
        var config = producerFactory.getConfigurationProperties();
        assertThat(config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo(true);
        assertThat(config.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
        assertThat(config.get(ProducerConfig.RETRIES_CONFIG)).isEqualTo(Integer.MAX_VALUE);
        assertThat((Integer) config.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION))
                .isBetween(1, 5);
        assertThat((Integer) config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))
                .as("retries for minutes")
                .isGreaterThanOrEqualTo(120_000);
        assertThat((Integer) config.get(ProducerConfig.LINGER_MS_CONFIG))
                .as("batching")
                .isPositive();
        assertThat((Integer) config.get(ProducerConfig.BATCH_SIZE_CONFIG)).isGreaterThanOrEqualTo(16_384);
    }

    @Test
    void theTopicTheServiceCreatesKeepsRecordsAsLongAsTheKinesisStreamNotTheBrokersDefault() throws Exception {
        try (var admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ClickIngestKafkaBroker.bootstrapServers()))) {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            var retention = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource)
                    .get(TopicConfig.RETENTION_MS_CONFIG);
            // 24 h: within analytics' 48 h click-id dedupe, so re-reading the whole topic counts nothing twice.
            assertThat(retention.value())
                    .isEqualTo(String.valueOf(Duration.ofHours(24).toMillis()));
            assertThat(retention.isDefault()).isFalse();
        }
    }

    @Test
    void kafkaIsChosenAndNoKinesisAdapterExists() {
        assertThat(producer).isInstanceOf(KafkaClickstreamProducer.class);
        assertThat(context.getBeanNamesForType(KinesisClient.class)).isEmpty();
        assertThat(context.getBeanNamesForType(BatchingKinesisProducer.class)).isEmpty();
        assertThat(ClickIngestKafkaBroker.readAll(TOPIC)).isNotNull();
    }
}
