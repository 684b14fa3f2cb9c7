package io.decoupled.clicks.producer;

import io.awspring.cloud.autoconfigure.AwsClientCustomizer;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/** A hook to adjust the Kinesis client (interceptors, timeouts) without replacing it, as Spring Cloud AWS offers for its own clients. */
@FunctionalInterface
public interface KinesisClientCustomizer extends AwsClientCustomizer<KinesisClientBuilder> {}
