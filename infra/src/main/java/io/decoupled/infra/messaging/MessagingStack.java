package io.decoupled.infra.messaging;

import io.decoupled.infra.Nag;
import io.decoupled.topology.QueueSpec;
import io.decoupled.topology.StreamSpec;
import io.decoupled.topology.SubscriptionSpec;
import io.decoupled.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.sns.CfnSubscription;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueAttributes;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.RedriveAllowPolicy;
import software.amazon.awscdk.services.sqs.RedrivePermission;
import software.constructs.Construct;

/**
 * Infrastructure from one definition: every topic, queue, redrive, subscription, filter policy and stream
 * here is read from {@link Topology}, the same value the local provisioner and the tests converge the
 * emulators to, so the demo and AWS cannot drift apart. Nothing in this class names a queue by hand.
 *
 * <p>Physical names equal the topology names, which is what lets a service run unchanged locally and in
 * AWS; the price is one deployment per account and region.
 */
public class MessagingStack extends Stack {

    /**
     * @param topology   the definition to deploy, normally {@link Topology#reference()}
     * @param streamMode on-demand capacity, or provisioned with the topology's shard count (cheaper when idle)
     * @param streams    whether to create the topology's Kinesis streams: false when the clickstream runs on Kafka instead
     */
    public record Props(Topology topology, StreamMode streamMode, boolean streams) {
        public Props {
            Objects.requireNonNull(topology, "topology");
            Objects.requireNonNull(streamMode, "streamMode");
        }

        public Props(Topology topology, StreamMode streamMode) {
            this(topology, streamMode, true);
        }
    }

    private final Topology topology;
    private final Key key;
    private final Map<String, Topic> topics = new LinkedHashMap<>();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private final Bucket payloads;

    public MessagingStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        this.topology = props.topology();

        // One customer-managed key for the messaging data at rest. It has to be customer-managed: SNS can
        // deliver to an encrypted queue only if the key policy lets sns.amazonaws.com use the key, and the
        // policy of an AWS-managed key (alias/aws/sqs) cannot be changed. Task roles may use it only through
        // SQS, SNS or Kinesis (kms:ViaService), and IAM still decides which queue, topic or stream they reach.
        key = Key.Builder.create(this, "MessagingKey")
                .alias("alias/decoupled/messaging")
                .description("Encrypts the topics, queues and the stream of the decoupled reference system")
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(7))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        topology.topics()
                .forEach(spec -> topics.put(
                        spec.name(),
                        Topic.Builder.create(this, logicalId("Topic", spec.name()))
                                .topicName(spec.name())
                                .fifo(spec.fifo() ? true : null)
                                // Off on purpose (see TopicSpec): publishers set a deduplication id per event.
                                .contentBasedDeduplication(spec.fifo() ? false : null)
                                .masterKey(key)
                                .enforceSsl(true)
                                .build()));

        topology.queuesInCreationOrder().forEach(spec -> queues.put(spec.name(), queue(spec)));

        for (var spec : topology.queues()) {
            var senders = topology.topicsSendingTo(spec.name());
            if (senders.isEmpty()) {
                continue;
            }
            var queue = queues.get(spec.name());
            // The queue accepts messages only from the topics subscribed to it (or, for a subscription's DLQ, from the
            // topic whose undeliverable messages it keeps): SourceArn stops any other topic (in any account) from
            // using SNS as a confused deputy to write into the queue.
            queue.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("AllowSubscribedTopicsToSend")
                    .effect(Effect.ALLOW)
                    .principals(List.of(new ServicePrincipal("sns.amazonaws.com")))
                    .actions(List.of("sqs:SendMessage"))
                    .resources(List.of(queue.getQueueArn()))
                    .conditions(Map.of(
                            "ArnEquals",
                            Map.of(
                                    "aws:SourceArn",
                                    senders.stream()
                                            .map(t -> topics.get(t).getTopicArn())
                                            .toList())))
                    .build());
        }
        topology.subscriptions().forEach(this::subscribe);
        topology.subscriptions()
                .forEach(
                        s -> s.deadLetterQueue()
                                .ifPresent(
                                        dlq -> Nag.accept(
                                                queues.get(dlq),
                                                "AwsSolutions-SQS3",
                                                "This queue is a dead-letter queue, of an SNS subscription (its RedrivePolicy) rather than of a queue, which "
                                                        + "cdk-nag does not recognise; a DLQ needs no DLQ of its own, and its depth alarms (ObservabilityStack).")));

        // SNS encrypts what it delivers to the encrypted queues with this key, so it may use the key, but
        // only on behalf of this system's topics.
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowSnsToDeliverToEncryptedQueues")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("sns.amazonaws.com")))
                .actions(List.of("kms:GenerateDataKey*", "kms:Decrypt"))
                .resources(List.of("*"))
                // ARNs built from the names: a Ref to the topics would be a cycle (each topic refers to the key).
                .conditions(Map.of(
                        "ArnEquals",
                        Map.of(
                                "aws:SourceArn",
                                topology.topics().stream()
                                        .map(t -> formatArn(ArnComponents.builder()
                                                .service("sns")
                                                .resource(t.name())
                                                .arnFormat(ArnFormat.NO_RESOURCE_NAME)
                                                .build()))
                                        .toList())))
                .build());

        if (props.streams()) {
            topology.streams().forEach(spec -> streams.put(spec.name(), stream(spec, props.streamMode())));
        }
        payloads = payloadBucket();
    }

    /**
     * Claim check for messages past SNS's and SQS's 256 KiB: the SNS and SQS Extended Clients put the payload here and
     * send a pointer. With fan-out several queues point at one object, so no consumer deletes it; the lifecycle rule
     * does, one day after the longest any queue (a DLQ) can keep a pointer, so no pointer outlives its payload.
     */
    private Bucket payloadBucket() {
        var bucket = Bucket.Builder.create(this, "Payloads")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .expiration(Duration.days(payloadExpiry(topology).toDays()))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                // Emptied by the lifecycle rule within days of the last message; a non-empty bucket would fail a
                // destroy.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Nag.accept(
                bucket,
                "AwsSolutions-S1",
                "Payloads live for days and are read only by the three task roles; object-level "
                        + "access can be audited with CloudTrail data events rather than a second bucket of access logs.");
        return bucket;
    }

    /**
     * How long an offloaded payload outlives its pointer's longest life: twice the longest any queue of the topology
     * keeps a message, plus a day. Once would do without redrive (a message moved to a DLQ keeps its first enqueue
     * time), but a redrive sends the pointer again as a new message, with a new retention: a payload redriven on the
     * DLQ's last day must still be there when the message's second life ends.
     */
    public static java.time.Duration payloadExpiry(Topology topology) {
        return topology.queues().stream()
                .map(QueueSpec::retentionPeriod)
                .max(java.time.Duration::compareTo)
                .orElseThrow()
                .multipliedBy(2)
                .plusDays(1);
    }

    /** The bucket of offloaded payloads (claim check). */
    public Bucket payloads() {
        return payloads;
    }

    private Queue queue(QueueSpec spec) {
        var builder = Queue.Builder.create(this, logicalId("Queue", spec.name()))
                .queueName(spec.name())
                .fifo(spec.fifo() ? true : null)
                .contentBasedDeduplication(spec.fifo() ? false : null)
                .visibilityTimeout(seconds(spec.visibilityTimeout()))
                .receiveMessageWaitTime(seconds(spec.receiveWaitTime()))
                .retentionPeriod(seconds(spec.retentionPeriod()))
                // A delay queue's DelaySeconds; left out (SQS's default of 0) for every other queue.
                .deliveryDelay(spec.deliveryDelay().isZero() ? null : seconds(spec.deliveryDelay()))
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(key)
                // A data key is reused for 5 minutes: one KMS call per queue per 5 minutes, not per message.
                .dataKeyReuse(Duration.minutes(5))
                .enforceSsl(true)
                .removalPolicy(RemovalPolicy.DESTROY);
        spec.redrive()
                .ifPresent(redrive -> builder.deadLetterQueue(DeadLetterQueue.builder()
                        .queue(queues.get(redrive.deadLetterQueue()))
                        .maxReceiveCount(redrive.maxReceiveCount())
                        .build()));
        var sources = topology.queues().stream()
                .filter(q -> q.redrive()
                        .map(r -> r.deadLetterQueue().equals(spec.name()))
                        .orElse(false))
                .toList();
        if (!sources.isEmpty()) {
            // A dead-letter queue serves only the queues the topology assigns to it.
            builder.redriveAllowPolicy(RedriveAllowPolicy.builder()
                    .redrivePermission(RedrivePermission.BY_QUEUE)
                    .sourceQueues(sources.stream().map(this::queueByName).toList())
                    .build());
        }
        return builder.build();
    }

    /** A reference to a queue by its ARN, for a redrive-allow policy written before that queue exists. */
    private IQueue queueByName(QueueSpec spec) {
        var arn = formatArn(ArnComponents.builder()
                .service("sqs")
                .resource(spec.name())
                .arnFormat(ArnFormat.NO_RESOURCE_NAME)
                .build());
        return Queue.fromQueueAttributes(
                this,
                logicalId("SourceOf", spec.name()),
                QueueAttributes.builder().queueArn(arn).fifo(spec.fifo()).build());
    }

    private void subscribe(SubscriptionSpec spec) {
        var builder = CfnSubscription.Builder.create(this, logicalId("Subscription", spec.topic() + "-" + spec.queue()))
                .topicArn(topics.get(spec.topic()).getTopicArn())
                .protocol("sqs")
                .endpoint(queues.get(spec.queue()).getQueueArn())
                .rawMessageDelivery(spec.rawMessageDelivery());
        spec.filterPolicy()
                .ifPresent(policy -> builder
                        // The policy tree goes to CloudFormation as an object, exactly as the provisioner sends it.
                        .filterPolicy(policy.policy())
                        .filterPolicyScope(policy.scope().awsName()));
        // The subscription's own DLQ: where SNS puts a message it could not deliver to the queue at all (the queue's
        // policy or key denies SNS, the queue is gone), instead of dropping it once its delivery retries run out.
        spec.deadLetterQueue()
                .ifPresent(dlq -> builder.redrivePolicy(
                        Map.of("deadLetterTargetArn", queues.get(dlq).getQueueArn())));
        var subscription = builder.build();
        // Depending on the queue construct includes its policy: no message is sent before the policy admits it.
        subscription.getNode().addDependency(queues.get(spec.queue()));
        spec.deadLetterQueue().ifPresent(dlq -> subscription.getNode().addDependency(queues.get(dlq)));
    }

    private Stream stream(StreamSpec spec, StreamMode mode) {
        var stream = Stream.Builder.create(this, logicalId("Stream", spec.name()))
                .streamName(spec.name())
                .streamMode(mode)
                .shardCount(mode == StreamMode.PROVISIONED ? spec.localShardCount() : null)
                .retentionPeriod(Duration.hours(spec.retention().toHours()))
                .encryption(StreamEncryption.KMS)
                .encryptionKey(key)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Nag.accept(
                stream,
                "AwsSolutions-KDS3",
                "Customer-managed on purpose: with the AWS-managed key anyone allowed "
                        + "kinesis:GetRecords can read the clicks; with this key reading also needs kms:Decrypt, which only "
                        + "analytics-service has. The data key is cached, so the KMS cost stays small.");
        return stream;
    }

    /** The topology this stack was built from. */
    public Topology topology() {
        return topology;
    }

    /** The key that encrypts every topic, queue and stream of this stack. */
    public Key key() {
        return key;
    }

    public Queue queue(String name) {
        return find(queues, name, "queue");
    }

    public Topic topic(String name) {
        return find(topics, name, "topic");
    }

    public Stream stream(String name) {
        return find(streams, name, "stream");
    }

    /** Whether this stack holds the topology's stream of that name (not when the clickstream runs on Kafka). */
    public boolean hasStream(String name) {
        return streams.containsKey(name);
    }

    private static <T> T find(Map<String, T> map, String name, String kind) {
        var value = map.get(name);
        if (value == null) {
            throw new NoSuchElementException("no " + kind + " " + name + " in the messaging stack");
        }
        return value;
    }

    private static Duration seconds(java.time.Duration duration) {
        return Duration.seconds(duration.toSeconds());
    }

    /** A construct id from a resource name: {@code shipping-orders-dlq} becomes {@code QueueShippingOrdersDlq}. */
    static String logicalId(String prefix, String name) {
        var out = new StringBuilder(prefix);
        for (var part : name.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }
}
