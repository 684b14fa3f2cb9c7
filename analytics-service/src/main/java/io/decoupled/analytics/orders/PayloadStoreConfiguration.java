package io.decoupled.analytics.orders;

import io.awspring.cloud.autoconfigure.AwsSyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.s3.properties.S3Properties;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client that reads offloaded order events, configured like every Spring Cloud AWS client
 * ({@code spring.cloud.aws.s3.*}: endpoint, region, path-style access; unset, the SDK's {@code AWS_ENDPOINT_URL_S3}).
 * The customizers count its calls for the cost meter.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(S3Properties.class)
class PayloadStoreConfiguration {

    @Bean(destroyMethod = "close")
    S3Client payloadS3Client(
            AwsClientBuilderConfigurer configurer,
            S3Properties s3,
            ObjectProvider<AwsConnectionDetails> connectionDetails,
            ObjectProvider<AwsSyncClientCustomizer> customizers) {
        return configurer
                .configureSyncClient(
                        S3Client.builder(),
                        s3,
                        connectionDetails.getIfAvailable(),
                        Stream.empty(),
                        customizers.orderedStream())
                .forcePathStyle(Boolean.TRUE.equals(s3.getPathStyleAccessEnabled()))
                .build();
    }

    @Bean
    OffloadedPayloads offloadedPayloads(S3Client payloadS3Client) {
        return new OffloadedPayloads(payloadS3Client);
    }
}
