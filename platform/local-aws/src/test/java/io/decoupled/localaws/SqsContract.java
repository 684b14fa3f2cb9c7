package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

import io.decoupled.localaws.conformance.Behaviour;
import io.decoupled.localaws.conformance.ConformanceRecorder;
import io.decoupled.topology.Redrive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS behaviours the consumers rely on, on queues the test creates, so that they run on any SQS endpoint: the
 * embedded fauxqs, ElasticMQ inside the JVM, LocalStack. An endpoint known to lack a behaviour says so in
 * {@link #supportsMoveTasks()}, and the test then checks that the endpoint refuses it (so the page's "unsupported"
 * is a tested fact, and a new emulator version that gains it fails here until the page is updated).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ConformanceRecorder.class)
abstract class SqsContract {
    private SqsClient sqs;
    private final List<String> created = new ArrayList<>();

    /** A client for the endpoint under test. */
    abstract SqsClient sqs();

    /** Whether the endpoint implements StartMessageMoveTask. */
    abstract boolean supportsMoveTasks();

    @BeforeAll
    void connect() {
        sqs = sqs();
    }

    @AfterEach
    void deleteQueues() {
        created.forEach(url -> sqs.deleteQueue(r -> r.queueUrl(url)));
        created.clear();
    }

    @AfterAll
    void disconnect() {
        sqs.close();
    }

    @Test
    @Behaviour(
            value =
                    "SQS per-message delay: overrides the queue's, invisible until due, counted in ApproximateNumberOfMessagesDelayed",
            service = AwsService.SQS)
    void aPerMessageDelayOverridesTheQueuesAndHoldsTheMessageBack() {
        var url = queue("delayed", Map.of(QueueAttributeName.DELAY_SECONDS, "30"));
        long sentAt = System.nanoTime();
        sqs.sendMessage(s -> s.queueUrl(url).messageBody("confirm").delaySeconds(3));

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(0)).messages())
                .isEmpty();
        assertThat(attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .isEqualTo("1");
        await().atMost(Duration.ofSeconds(25))
                .untilAsserted(() -> assertThat(
                                sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1))
                                        .messages())
                        .hasSize(1));
        assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    @Behaviour(value = "SQS queue DelaySeconds applies to a message sent without a delay", service = AwsService.SQS)
    void aQueuesOwnDelayAppliesToAMessageSentWithoutOne() {
        var url = queue("queue-delay", Map.of(QueueAttributeName.DELAY_SECONDS, "2"));
        long sentAt = System.nanoTime();
        sqs.sendMessage(s -> s.queueUrl(url).messageBody("later"));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(0)).messages())
                .isEmpty();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1))
                                        .messages())
                        .hasSize(1));
        assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    @Behaviour(
            value = "SQS long polling: an empty receive waits for WaitTimeSeconds, a waiting message returns at once",
            service = AwsService.SQS)
    void aLongPollWaitsOnAnEmptyQueueAndReturnsAtOnceWhenAMessageWaits() {
        var url = queue("poll", Map.of());
        long start = System.nanoTime();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2)).messages())
                .isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        sqs.sendMessage(m -> m.queueUrl(url).messageBody("waiting"));
        long second = System.nanoTime();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(20)).messages())
                .hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - second)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    @Behaviour(
            value = "SQS visibility: a received message is hidden until ChangeMessageVisibility(0) releases it",
            service = AwsService.SQS)
    void aReceivedMessageStaysHiddenUntilItsVisibilityIsChanged() {
        var url = queue("visibility", Map.of());
        sqs.sendMessage(m -> m.queueUrl(url).messageBody("work"));
        var first = sqs.receiveMessage(
                        r -> r.queueUrl(url).visibilityTimeout(60).waitTimeSeconds(5))
                .messages();
        assertThat(first).hasSize(1);
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages())
                .isEmpty();
        sqs.changeMessageVisibility(c ->
                c.queueUrl(url).receiptHandle(first.getFirst().receiptHandle()).visibilityTimeout(0));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1))
                                        .messages())
                        .hasSize(1));
    }

    @Test
    @Behaviour(
            value = "SQS message move task (StartMessageMoveTask) returns a DLQ's messages to their source",
            service = AwsService.SQS)
    void aMoveTaskReturnsDeadLettersToTheirSourceOrTheEndpointRefusesIt() {
        var dlq = queue("move-dlq", Map.of());
        var dlqArn = attribute(dlq, QueueAttributeName.QUEUE_ARN);
        var source =
                queue("move-src", Map.of(QueueAttributeName.REDRIVE_POLICY, new Redrive(dlqArn, 1).toJson(dlqArn)));
        var sourceArn = attribute(source, QueueAttributeName.QUEUE_ARN);
        sqs.sendMessage(m -> m.queueUrl(dlq).messageBody("dead"));
        if (!supportsMoveTasks()) {
            assertThatThrownBy(() ->
                            sqs.startMessageMoveTask(t -> t.sourceArn(dlqArn).destinationArn(sourceArn)))
                    .isInstanceOf(AwsServiceException.class);
            abort(ConformanceRecorder.UNSUPPORTED + "the endpoint refuses StartMessageMoveTask");
        }
        sqs.startMessageMoveTask(t -> t.sourceArn(dlqArn).destinationArn(sourceArn));
        var moved = new ArrayList<Message>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            moved.addAll(sqs.receiveMessage(r -> r.queueUrl(source).waitTimeSeconds(1))
                    .messages());
            assertThat(moved).extracting(Message::body).containsExactly("dead");
        });
    }

    private String queue(String purpose, Map<QueueAttributeName, String> attributes) {
        var url = sqs.createQueue(
                        r -> r.queueName(purpose + "-" + UUID.randomUUID()).attributes(attributes))
                .queueUrl();
        created.add(url);
        return url;
    }

    private String attribute(String url, QueueAttributeName name) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(name))
                .attributes()
                .get(name);
    }
}
