package io.decoupled.localaws;

import static io.decoupled.topology.OrderEventAttributes.COUNTRY;
import static io.decoupled.topology.OrderEventAttributes.EVENT_TYPE;
import static io.decoupled.topology.OrderEventAttributes.FULFILLMENT;
import static io.decoupled.topology.OrderEventAttributes.ORDER_PLACED;
import static io.decoupled.topology.OrderEventAttributes.SHIP;
import static io.decoupled.topology.OrderEventAttributes.TOTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazon.sqs.javamessaging.AmazonSQSExtendedClient;
import com.amazon.sqs.javamessaging.ExtendedClientConfiguration;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.decoupled.localaws.conformance.Behaviour;
import io.decoupled.localaws.conformance.ConformanceRecorder;
import io.decoupled.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.payloadoffloading.S3BackedPayloadStore;
import software.amazon.payloadoffloading.S3Dao;
import software.amazon.sns.AmazonSNSExtendedClient;
import software.amazon.sns.SNSExtendedClientConfiguration;

/**
 * Payloads past SNS's and SQS's 256 KiB: the claim-check pattern with the Amazon SNS and SQS Extended Clients (the
 * payload in S3, a pointer in the message), checked on the reference topology of each environment. It pins down what
 * the wiring in the services has to respect: raw delivery lets the SQS client resolve the pointer, an SNS envelope
 * does not; a body-scope filter policy sees the pointer, not the payload; and with fan-out several queues share one
 * S3 object, so no consumer may delete it on consumption (a bucket lifecycle expires it), while a queue with one
 * consumer may.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ConformanceRecorder.class)
abstract class LargePayloadContract {
    private static final int LARGE = 300 * 1024;

    private AwsEnvironment env;
    private SqsClient sqs;
    private SnsClient sns;
    private S3Client s3;
    private final String bucket = "payloads-" + UUID.randomUUID();
    // Jackson 2 comes with the payload-offloading library; the test reads the SNS envelope with it.
    private final ObjectMapper json = new ObjectMapper();
    private final List<Runnable> cleanup = new ArrayList<>();

    abstract AwsEnvironment environment();

    @BeforeAll
    void connect() {
        env = environment();
        sqs = env.sqs();
        sns = env.sns();
        // fauxqs and LocalStack both serve S3 on the same endpoint as SNS and SQS, path-style.
        s3 = env.configure(S3Client.builder(), AwsService.SNS)
                .forcePathStyle(true)
                .build();
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    void disconnect() {
        cleanup.forEach(Runnable::run);
        s3.listObjectsV2(r -> r.bucket(bucket))
                .contents()
                .forEach(o -> s3.deleteObject(d -> d.bucket(bucket).key(o.key())));
        s3.deleteBucket(b -> b.bucket(bucket));
        sqs.close();
        sns.close();
        s3.close();
    }

    @Test
    @Behaviour(
            value =
                    "Claim check past 256 KiB (SNS and SQS Extended Clients, S3 on the same endpoint): resolved on raw delivery, by hand from the envelope; an attribute-scope filter routes the pointer, a body-scope filter (numeric `>=`) sees only the pointer",
            service = AwsService.SNS)
    void anOrderEventPastTheLimitIsPublishedAsAPointerAndResolvedByEachKindOfSubscriber() throws Exception {
        var payload = largeOrderEvent();
        // Subscribed before anything is published, so that it would receive the large order if its policy matched.
        var bodyFiltered = bodyFilteredQueue();
        var publisher = new AmazonSNSExtendedClient(
                sns, new SNSExtendedClientConfiguration().withPayloadSupportEnabled(s3, bucket));
        publisher.publish(p -> p.topicArn(env.topology().topicArn(Topology.ORDER_EVENTS))
                .message(payload)
                .messageAttributes(Map.of(
                        EVENT_TYPE,
                        string(ORDER_PLACED),
                        FULFILLMENT,
                        string(SHIP),
                        COUNTRY,
                        string("DE"),
                        TOTAL,
                        MessageAttributeValue.builder()
                                .dataType("Number")
                                .stringValue("2500")
                                .build())));
        assertThat(objects()).hasSize(1);

        // Raw delivery (shipping-orders): attributes pass through, so the SQS Extended Client sees the pointer and
        // fetches
        // the payload. Fan-out shares the object with analytics-orders, so this consumer must not delete it.
        var shipping = new AmazonSQSExtendedClient(
                sqs, new ExtendedClientConfiguration().withPayloadSupportEnabled(s3, bucket, false));
        var received = receiveOne(shipping, Topology.SHIPPING_ORDERS, payload);
        assertThat(received.messageAttributes()).containsKeys(EVENT_TYPE, FULFILLMENT, TOTAL);
        shipping.deleteMessage(d -> d.queueUrl(url(Topology.SHIPPING_ORDERS)).receiptHandle(received.receiptHandle()));
        assertThat(objects()).hasSize(1);

        // The SNS envelope (analytics-orders): the pointer is inside "Message" and the SQS client cannot tell; the
        // consumer resolves it with the payload store itself.
        var envelope = receiveOne(sqs, Topology.ANALYTICS_ORDERS, "PayloadS3Pointer");
        var pointer = json.readTree(envelope.body()).path("Message").asText();
        assertThat(new S3BackedPayloadStore(new S3Dao(s3), bucket).getOriginalPayload(pointer))
                .isEqualTo(payload);
        sqs.deleteMessage(d -> d.queueUrl(url(Topology.ANALYTICS_ORDERS)).receiptHandle(envelope.receiptHandle()));

        // order-review filters on the Number attribute total (>= 1000), which the publisher's attributes carry past
        // the offloading: the large 2,500 order reaches it, as a pointer the SQS Extended Client resolves.
        var review = receiveOne(shipping, Topology.ORDER_REVIEW, payload);
        shipping.deleteMessage(d -> d.queueUrl(url(Topology.ORDER_REVIEW)).receiptHandle(review.receiptHandle()));

        // A body-scope filter (total >= 1000 in the JSON) sees the pointer, which has no total: the same order never
        // reaches it, while a small one with the same total does. Why offloaded events are routed by attributes.
        sns.publish(p -> p.topicArn(env.topology().topicArn(Topology.ORDER_EVENTS))
                .message("{\"eventType\":\"OrderPlaced\",\"total\":2500,\"small\":\"" + bucket + "\"}"));
        var small = new ArrayList<String>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            sqs.receiveMessage(r ->
                            r.queueUrl(bodyFiltered).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()
                    .forEach(m -> small.add(m.body()));
            assertThat(small).anySatisfy(b -> assertThat(b).contains("\"small\""));
        });
        assertThat(small).noneMatch(b -> b.contains("PayloadS3Pointer"));
    }

    /** A queue subscribed to order-events with a body-scope policy, total >= 1000; removed after the class. */
    private String bodyFilteredQueue() {
        var queueUrl = sqs.createQueue(r -> r.queueName("body-filtered-" + UUID.randomUUID()))
                .queueUrl();
        cleanup.add(() -> sqs.deleteQueue(r -> r.queueUrl(queueUrl)));
        var queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        var subscription = sns.subscribe(r -> r.topicArn(env.topology().topicArn(Topology.ORDER_EVENTS))
                        .protocol("sqs")
                        .endpoint(queueArn)
                        .attributes(Map.of(
                                "RawMessageDelivery", "true",
                                "FilterPolicyScope", "MessageBody",
                                "FilterPolicy", "{\"total\":[{\"numeric\":[\">=\",1000]}]}")))
                .subscriptionArn();
        cleanup.add(() -> sns.unsubscribe(r -> r.subscriptionArn(subscription)));
        return queueUrl;
    }

    @Test
    @Behaviour(value = "SQS Extended Client: deleting the message deletes its S3 payload", service = AwsService.SQS)
    void aQueueWithOneConsumerDeletesTheOffloadedPayloadWhenTheMessageIsDeleted() {
        var queueUrl =
                sqs.createQueue(r -> r.queueName("large-" + UUID.randomUUID())).queueUrl();
        try {
            var client = new AmazonSQSExtendedClient(
                    sqs, new ExtendedClientConfiguration().withPayloadSupportEnabled(s3, bucket, true));
            var payload = largeOrderEvent();
            int before = objects().size();
            client.sendMessage(s -> s.queueUrl(queueUrl).messageBody(payload));
            assertThat(objects()).hasSize(before + 1);

            var messages = client.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(5))
                    .messages();
            assertThat(messages).singleElement().extracting(Message::body).isEqualTo(payload);
            client.deleteMessage(
                    d -> d.queueUrl(queueUrl).receiptHandle(messages.getFirst().receiptHandle()));
            assertThat(objects()).hasSize(before);
        } finally {
            sqs.deleteQueue(r -> r.queueUrl(queueUrl));
        }
    }

    private Message receiveOne(SqsClient client, String queue, String marker) {
        var found = new ArrayList<Message>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (var m : client.receiveMessage(r -> r.queueUrl(url(queue))
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .messageAttributeNames("All"))
                    .messages()) {
                if (m.body().contains(marker)) {
                    found.add(m);
                } else {
                    client.deleteMessage(d -> d.queueUrl(url(queue)).receiptHandle(m.receiptHandle()));
                }
            }
            assertThat(found).hasSize(1);
        });
        return found.getFirst();
    }

    private List<S3Object> objects() {
        return s3.listObjectsV2(r -> r.bucket(bucket)).contents();
    }

    private String url(String queue) {
        return env.topology().queueUrl(queue);
    }

    /** An OrderPlaced whose attachment list takes it past 256 KiB. */
    private static String largeOrderEvent() {
        var attachment = "A".repeat(LARGE);
        return "{\"eventType\":\"OrderPlaced\",\"orderId\":\"" + UUID.randomUUID()
                + "\",\"total\":2500,\"attachments\":[\"" + attachment + "\"]}";
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
