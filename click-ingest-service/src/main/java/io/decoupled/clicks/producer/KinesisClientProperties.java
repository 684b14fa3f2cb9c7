package io.decoupled.clicks.producer;

import io.awspring.cloud.autoconfigure.AwsClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code spring.cloud.aws.kinesis.endpoint} and {@code .region}, the same shape Spring Cloud AWS gives every
 * client it configures (its 4.0 core has no Kinesis client of its own). Unset, the SDK's standard
 * {@code AWS_ENDPOINT_URL_KINESIS} and the default region chain apply.
 */
@ConfigurationProperties("spring.cloud.aws.kinesis")
public class KinesisClientProperties extends AwsClientProperties {}
