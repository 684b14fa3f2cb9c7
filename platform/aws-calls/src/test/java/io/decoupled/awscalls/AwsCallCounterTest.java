package io.decoupled.awscalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.awspring.cloud.autoconfigure.AwsAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.AwsSyncClientCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.Collections;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

class AwsCallCounterTest {

    @Test
    void aBatchCallStandsForOneCallPerEntry() {
        var send = SendMessageBatchRequest.builder()
                .entries(IntStream.range(0, 7)
                        .mapToObj(i -> SendMessageBatchRequestEntry.builder()
                                .id("e" + i)
                                .messageBody("b")
                                .build())
                        .toList())
                .build();
        var put = PutRecordsRequest.builder()
                .records(IntStream.range(0, 250)
                        .mapToObj(i -> PutRecordsRequestEntry.builder()
                                .partitionKey("k")
                                .data(SdkBytes.fromUtf8String("x"))
                                .build())
                        .toList())
                .build();

        assertThat(AwsCallCounter.unbatched(
                        "SendMessageBatch",
                        send,
                        SendMessageBatchResponse.builder().build()))
                .isEqualTo(7);
        assertThat(AwsCallCounter.unbatched(
                        "PutRecords", put, PutRecordsResponse.builder().build()))
                .isEqualTo(250);
    }

    @Test
    void aReceiveStandsForOneCallPerMessageAndAnEmptyLongPollForOneCallPerSecondWaited() {
        var longPoll = ReceiveMessageRequest.builder()
                .waitTimeSeconds(20)
                .maxNumberOfMessages(10)
                .build();
        var four = ReceiveMessageResponse.builder()
                .messages(Collections.nCopies(4, Message.builder().body("m").build()))
                .build();

        assertThat(AwsCallCounter.unbatched("ReceiveMessage", longPoll, four)).isEqualTo(4);
        assertThat(AwsCallCounter.unbatched(
                        "ReceiveMessage",
                        longPoll,
                        ReceiveMessageResponse.builder().build()))
                .isEqualTo(20);
        assertThat(AwsCallCounter.unbatched(
                        "ReceiveMessage",
                        ReceiveMessageRequest.builder().build(),
                        ReceiveMessageResponse.builder().build()))
                .isEqualTo(1);
    }

    @Test
    void anyOtherCallIsOneCall() {
        assertThat(AwsCallCounter.unbatched(
                        "GetQueueUrl",
                        GetQueueUrlRequest.builder().queueName("q").build(),
                        GetQueueUrlResponse.builder().build()))
                .isEqualTo(1);
    }

    @Test
    void everyRequestSentIsCountedByAwsServiceAndOperationEvenWhenItFails() {
        var meters = new SimpleMeterRegistry();
        var builder = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:1"))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        AwsCallsAutoConfiguration.count(builder, new AwsCallCounter(meters));

        try (var sqs = builder.build()) {
            assertThatThrownBy(() -> sqs.getQueueUrl(r -> r.queueName("nowhere")))
                    .isInstanceOf(SdkClientException.class);
        }

        assertThat(meters.get(AwsCallCounter.REQUESTS)
                        .tag("aws.service", "Sqs")
                        .tag("operation", "GetQueueUrl")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void theAutoConfigurationCustomizesEverySpringCloudAwsClientAndCanBeSwitchedOff() {
        var runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AwsCallsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

        runner.run(context -> assertThat(context)
                .hasSingleBean(AwsSyncClientCustomizer.class)
                .hasSingleBean(AwsAsyncClientCustomizer.class));
        runner.withPropertyValues("aws.calls.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AwsCallCounter.class));
    }
}
