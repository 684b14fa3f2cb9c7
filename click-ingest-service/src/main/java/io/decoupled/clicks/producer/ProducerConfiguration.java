package io.decoupled.clicks.producer;

import io.awspring.cloud.autoconfigure.AwsSyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The Kinesis adapter of the clickstream port (the default backend): the Kinesis client, built from Spring Cloud AWS's
 * region, credentials and endpoint settings, and the producer. Absent when {@code clickstream.backend=kafka}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = ClickstreamSettings.BACKEND_PROPERTY, havingValue = "kinesis", matchIfMissing = true)
@EnableConfigurationProperties({ProducerProperties.class, KinesisClientProperties.class})
class ProducerConfiguration {

    @Bean(destroyMethod = "close")
    KinesisClient kinesisClient(
            AwsClientBuilderConfigurer configurer,
            KinesisClientProperties properties,
            ObjectProvider<AwsConnectionDetails> connectionDetails,
            ObjectProvider<KinesisClientCustomizer> customizers,
            ObjectProvider<AwsSyncClientCustomizer> syncCustomizers) {
        return configurer
                .configureSyncClient(
                        KinesisClient.builder(),
                        properties,
                        connectionDetails.getIfAvailable(),
                        customizers.orderedStream(),
                        syncCustomizers.orderedStream())
                .build();
    }

    @Bean
    BatchingKinesisProducer batchingKinesisProducer(
            KinesisClient kinesisClient, ProducerProperties properties, ProducerMetrics metrics) {
        return new BatchingKinesisProducer(kinesisClient, properties, metrics);
    }
}
