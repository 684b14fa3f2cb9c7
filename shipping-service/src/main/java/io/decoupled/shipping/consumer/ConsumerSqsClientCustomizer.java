package io.decoupled.shipping.consumer;

import io.awspring.cloud.autoconfigure.AwsClientCustomizer;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * Customises the consumer's own synchronous SQS client (Spring Cloud AWS's {@code SqsAsyncClientCustomizer} only
 * reaches its asynchronous client); applied after the customizers every synchronous client gets.
 */
public interface ConsumerSqsClientCustomizer extends AwsClientCustomizer<SqsClientBuilder> {}
