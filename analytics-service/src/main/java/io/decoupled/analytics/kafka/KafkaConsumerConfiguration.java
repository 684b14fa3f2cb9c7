package io.decoupled.analytics.kafka;

import io.decoupled.analytics.ClickstreamBackend;
import io.decoupled.analytics.ClickstreamKafkaProperties;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * The clickstream's Kafka consumer, only with {@code analytics.clickstream.backend=kafka}. Boot builds the consumer
 * factory from {@code spring.kafka.*} (brokers, TLS, SASL / MSK IAM); the customizer then sets what the guarantees rest
 * on, so that no property can weaken them: no auto-commit (offsets are committed by the listener once the batch is
 * durable), raw bytes (a record that is not a click reaches the listener and is set aside, instead of failing in a
 * deserializer), and a new group starts at the earliest offset, as the KCL starts a shard at TRIM_HORIZON.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = ClickstreamBackend.PROPERTY, havingValue = "kafka")
class KafkaConsumerConfiguration {

    static Map<String, Object> guaranteedSettings(ClickstreamKafkaProperties properties) {
        return Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                properties.maxPollRecords(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer clickstreamConsumerGuarantees(ClickstreamKafkaProperties properties) {
        return factory -> factory.updateConfigs(guaranteedSettings(properties));
    }

    /**
     * Batch listener, manual immediate acknowledgement (a synchronous commit inside the listener, after the effect),
     * and a graceful stop: the container finishes the batch in hand before it leaves the group.
     */
    @Bean
    @SuppressWarnings("unchecked")
    ConcurrentKafkaListenerContainerFactory<byte[], byte[]> clickstreamContainerFactory(
            ConsumerFactory<?, ?> consumerFactory) {
        var factory = new ConcurrentKafkaListenerContainerFactory<byte[], byte[]>();
        factory.setConsumerFactory((ConsumerFactory<byte[], byte[]>) consumerFactory);
        factory.setBatchListener(true);
        var container = factory.getContainerProperties();
        container.setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
        container.setSyncCommits(true);
        container.setStopImmediate(false);
        return factory;
    }
}
