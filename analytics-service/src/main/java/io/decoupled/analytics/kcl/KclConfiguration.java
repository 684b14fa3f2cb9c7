package io.decoupled.analytics.kcl;

import io.awspring.cloud.autoconfigure.AwsAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbProperties;
import io.awspring.cloud.autoconfigure.metrics.CloudWatchProperties;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * The KCL needs async Kinesis, DynamoDB and CloudWatch clients. They are built here with Spring Cloud AWS's
 * region, credentials and per-service endpoints ({@code spring.cloud.aws.kinesis/dynamodb/cloudwatch.endpoint}),
 * so the worker finds AWS or an emulator exactly as every other client of the service does.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "analytics.kcl.enabled", havingValue = "true", matchIfMissing = true)
// Not started at all when the clickstream is read from Kafka (no DynamoDB, no Kinesis needed then).
@ConditionalOnProperty(name = "analytics.clickstream.backend", havingValue = "kinesis", matchIfMissing = true)
@EnableConfigurationProperties({
    KclProperties.class,
    KinesisClientProperties.class,
    DynamoDbProperties.class,
    CloudWatchProperties.class
})
class KclConfiguration {

    /**
     * HTTP/1.1: the SDK's Kinesis async client defaults to HTTP/2, which only SubscribeToShard (enhanced
     * fan-out) needs. Polling retrieval calls GetRecords, which every Kinesis endpoint serves over HTTP/1.1.
     */
    @Bean(destroyMethod = "close")
    KinesisAsyncClient kclKinesisClient(
            AwsClientBuilderConfigurer configurer,
            KinesisClientProperties properties,
            ObjectProvider<AwsConnectionDetails> connectionDetails,
            ObjectProvider<AwsAsyncClientCustomizer> customizers) {
        return configurer
                .configureAsyncClient(
                        KinesisAsyncClient.builder(),
                        properties,
                        connectionDetails.getIfAvailable(),
                        Stream.empty(),
                        customizers.orderedStream())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .protocol(Protocol.HTTP1_1)
                        .maxConcurrency(64))
                .build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbAsyncClient kclDynamoDbClient(
            AwsClientBuilderConfigurer configurer,
            DynamoDbProperties properties,
            ObjectProvider<AwsConnectionDetails> connectionDetails,
            ObjectProvider<AwsAsyncClientCustomizer> customizers) {
        return configurer
                .configureAsyncClient(
                        DynamoDbAsyncClient.builder(),
                        properties,
                        connectionDetails.getIfAvailable(),
                        Stream.empty(),
                        customizers.orderedStream())
                .build();
    }

    /** Built always (the KCL requires one) but only called when {@code analytics.kcl.metrics-level} is not NONE. */
    @Bean(destroyMethod = "close")
    CloudWatchAsyncClient kclCloudWatchClient(
            AwsClientBuilderConfigurer configurer,
            CloudWatchProperties properties,
            ObjectProvider<AwsConnectionDetails> connectionDetails,
            ObjectProvider<AwsAsyncClientCustomizer> customizers) {
        return configurer
                .configureAsyncClient(
                        CloudWatchAsyncClient.builder(),
                        properties,
                        connectionDetails.getIfAvailable(),
                        Stream.empty(),
                        customizers.orderedStream())
                .build();
    }

    @Bean
    KclWorker kclWorker(
            KclProperties properties,
            KinesisAsyncClient kclKinesisClient,
            DynamoDbAsyncClient kclDynamoDbClient,
            CloudWatchAsyncClient kclCloudWatchClient,
            ShardRecordProcessorFactory processorFactory) {
        return new KclWorker(properties, kclKinesisClient, kclDynamoDbClient, kclCloudWatchClient, processorFactory);
    }
}
