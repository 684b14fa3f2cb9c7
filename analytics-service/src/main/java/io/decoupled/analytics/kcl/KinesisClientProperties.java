package io.decoupled.analytics.kcl;

import io.awspring.cloud.autoconfigure.AwsClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code spring.cloud.aws.kinesis.endpoint} and {@code .region}, in the shape Spring Cloud AWS uses for every
 * client (its 4.0 core configures no Kinesis client). Unset, the SDK's {@code AWS_ENDPOINT_URL_KINESIS} applies.
 */
@ConfigurationProperties("spring.cloud.aws.kinesis")
public class KinesisClientProperties extends AwsClientProperties {}
