package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.analytics.kcl.KclWorker;
import io.decoupled.analytics.support.AnalyticsEnvironment;
import io.decoupled.analytics.support.AnalyticsEnvironment.Click;
import io.decoupled.analytics.support.AnalyticsEnvironment.Put;
import io.decoupled.analytics.support.AnalyticsKafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The consumer contract on Kafka (spring-kafka-test's embedded KRaft broker, one per test JVM): a topic of two
 * partitions and a consumer group of this class's own. The properties also try to turn auto-commit on, which the
 * service must overrule.
 */
class KafkaClickstreamConsumerIT extends ClickstreamConsumerContract {
    private final AnalyticsEnvironment env = new AnalyticsEnvironment("kcontract", 1);
    private final String topic = "clicks-" + UUID.randomUUID().toString().substring(0, 8);
    private final String group = "analytics-" + topic;

    KafkaClickstreamConsumerIT() {
        AnalyticsKafkaBroker.createTopic(bootstrapServers(), topic, 2);
    }

    /** The broker the contract runs on: the embedded one here, a real one in {@link KafkaContainerClickstreamConsumerIT}. */
    String bootstrapServers() {
        return AnalyticsKafkaBroker.bootstrapServers();
    }

    @Override
    AnalyticsEnvironment env() {
        return env;
    }

    @Override
    Map<String, String> backendProperties(String name) {
        return Map.of(
                "analytics.clickstream.backend",
                "kafka",
                "analytics.clickstream.kafka.topic",
                topic,
                "analytics.clickstream.kafka.group-id",
                group,
                "spring.kafka.bootstrap-servers",
                bootstrapServers(),
                "spring.kafka.consumer.client-id",
                name,
                // Seconds, so that the outage test also sees batches given back (nack) and read again.
                "analytics.clickstream.kafka.patience",
                "3s",
                "analytics.clickstream.kafka.retry-pause",
                "1s",
                "spring.kafka.consumer.enable-auto-commit",
                "true");
    }

    @Override
    List<Put> put(List<Click> clicks) {
        return AnalyticsKafkaBroker.put(bootstrapServers(), topic, clicks);
    }

    @Override
    Set<String> activeReaders(Map<String, ConfigurableApplicationContext> readers) {
        return readers.entrySet().stream()
                .filter(e -> {
                    var container = e.getValue()
                            .getBean(KafkaListenerEndpointRegistry.class)
                            .getListenerContainer("clickstream");
                    return container != null
                            && container.getAssignedPartitions() != null
                            && !container.getAssignedPartitions().isEmpty();
                })
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    @Override
    boolean checkpointPassed(Put record) {
        var committed =
                AnalyticsKafkaBroker.committed(bootstrapServers(), group).get(record.shardId());
        return committed != null && committed > Long.parseLong(record.sequenceNumber());
    }

    @Test
    void onKafkaTheKclIsNotStartedAndOffsetsAreCommittedByTheListenerOnly() {
        var reader = start("only");
        assertThat(reader.getBeanNamesForType(KclWorker.class)).isEmpty();
        assertThat(reader.getBeanNamesForType(DynamoDbAsyncClient.class)).isEmpty();
        var consumerConfig = reader.getBean(ConsumerFactory.class).getConfigurationProperties();
        assertThat(consumerConfig.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo(false);
        var container = reader.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("clickstream");
        assertThat(container.getContainerProperties().getAckMode()).isEqualTo(AckMode.MANUAL_IMMEDIATE);
    }
}
