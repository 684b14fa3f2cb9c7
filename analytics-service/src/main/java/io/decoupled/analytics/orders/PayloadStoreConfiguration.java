package io.decoupled.analytics.orders;

import io.decoupled.claimcheck.PayloadS3ClientConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.services.s3.S3Client;

/** Reads offloaded order events through the claim check's S3 client, built once for every service. */
@Configuration(proxyBeanMethods = false)
@Import(PayloadS3ClientConfiguration.class)
class PayloadStoreConfiguration {

    @Bean
    OffloadedPayloads offloadedPayloads(S3Client payloadS3Client) {
        return new OffloadedPayloads(payloadS3Client);
    }
}
