package io.decoupled.console.aws;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS clients of the console, built by the SDK's default chains only: region, credentials and endpoints
 * come from {@code AWS_REGION}, {@code AWS_ENDPOINT_URL(_SQS|_KINESIS|_DYNAMODB)} or the matching
 * {@code aws.*} system properties, so the same jar reads the emulators, LocalStack, Floci or AWS unchanged.
 */
@Configuration(proxyBeanMethods = false)
class AwsClients {

    @Bean(destroyMethod = "close")
    SqsClient sqsClient() {
        return SqsClient.create();
    }

    @Bean(destroyMethod = "close")
    KinesisClient kinesisClient() {
        return KinesisClient.create();
    }

    @Bean(destroyMethod = "close")
    DynamoDbClient dynamoDbClient() {
        return DynamoDbClient.create();
    }
}
