package io.decoupled.claimcheck;

import io.awspring.cloud.autoconfigure.AwsSyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.s3.S3ClientCustomizer;
import io.awspring.cloud.autoconfigure.s3.properties.S3Properties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The claim check's S3 client, built one way for the service that writes payloads (order-service's relay) and those
 * that read them (shipping-service, analytics-service); each imports this class. It is configured like every Spring
 * Cloud AWS client ({@code spring.cloud.aws.s3.*}: endpoint, region, path-style access; unset, the SDK's
 * {@code AWS_ENDPOINT_URL_S3}), and the customizers every synchronous client gets apply to it too (the AWS call
 * counter behind the console's cost meter). What one service needs on top (the relay's call timeout) is an
 * {@link S3ClientCustomizer} bean of that service, applied here like the SNS client's {@code SnsClientCustomizer}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(S3Properties.class)
public class PayloadS3ClientConfiguration {

    @Bean(destroyMethod = "close")
    S3Client payloadS3Client(
            AwsClientBuilderConfigurer configurer,
            S3Properties s3,
            ObjectProvider<AwsConnectionDetails> connectionDetails,
            ObjectProvider<S3ClientCustomizer> s3Customizers,
            ObjectProvider<AwsSyncClientCustomizer> syncCustomizers) {
        return configurer
                .configureSyncClient(
                        S3Client.builder(),
                        s3,
                        connectionDetails.getIfAvailable(),
                        s3Customizers.orderedStream(),
                        syncCustomizers.orderedStream())
                .forcePathStyle(Boolean.TRUE.equals(s3.getPathStyleAccessEnabled()))
                .build();
    }
}
