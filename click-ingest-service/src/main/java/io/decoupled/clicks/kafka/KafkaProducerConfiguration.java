package io.decoupled.clicks.kafka;

import io.decoupled.clicks.producer.ClickstreamSettings;
import io.decoupled.clicks.producer.ProducerMetrics;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The Kafka adapter of the clickstream port, only with {@code clickstream.backend=kafka}. Boot builds the producer
 * factory from {@code spring.kafka.*} (brokers, TLS, SASL / MSK IAM); this customizer then sets what the guarantees
 * rest on, so that no property can weaken them: idempotence with {@code acks=all} (a retried batch is written once
 * and in order), retries bounded only by the delivery timeout, and the serializers of a String key and raw bytes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = ClickstreamSettings.BACKEND_PROPERTY, havingValue = "kafka")
@EnableConfigurationProperties(KafkaProducerProperties.class)
class KafkaProducerConfiguration {

    /** The settings the guarantees rest on; applied after {@code spring.kafka.producer.*}, so they always win. */
    static Map<String, Object> guaranteedSettings(KafkaProducerProperties properties) {
        return Map.ofEntries(
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE),
                // At most 5 in flight keeps idempotent ordering within a partition across retries.
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int)
                        properties.deliveryTimeout().toMillis()),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, (int)
                        properties.linger().toMillis()),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, (int)
                        properties.batchSize().toBytes()),
                Map.entry(
                        ProducerConfig.BUFFER_MEMORY_CONFIG,
                        2 * properties.bufferSize().toBytes()),
                Map.entry(
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        properties.maxBlock().toMillis()),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer clickstreamProducerGuarantees(KafkaProducerProperties properties) {
        return factory -> factory.updateConfigs(guaranteedSettings(properties));
    }

    @Bean
    @SuppressWarnings("unchecked")
    KafkaTemplate<String, byte[]> clickstreamKafkaTemplate(ProducerFactory<?, ?> producerFactory) {
        return new KafkaTemplate<>((ProducerFactory<String, byte[]>) producerFactory);
    }

    /**
     * Created (or grown to this many partitions) by Boot's KafkaAdmin at start-up, keeping records as long as the
     * Kinesis stream does (not the brokers' default, 7 days, past analytics' dedupe window); replication is the
     * brokers' default.
     */
    @Bean
    @ConditionalOnProperty(name = "clickstream.kafka.create-topic", havingValue = "true", matchIfMissing = true)
    NewTopic clickstreamTopic(KafkaProducerProperties properties) {
        return new NewTopic(properties.topic(), Optional.of(properties.partitions()), Optional.empty())
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG,
                        String.valueOf(properties.retention().toMillis())));
    }

    @Bean
    KafkaClickstreamProducer kafkaClickstreamProducer(
            KafkaTemplate<String, byte[]> clickstreamKafkaTemplate,
            KafkaProducerProperties properties,
            ProducerMetrics metrics) {
        return new KafkaClickstreamProducer(clickstreamKafkaTemplate, properties, metrics);
    }
}
