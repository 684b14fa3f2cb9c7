package io.decoupled.infra.compute;

import io.decoupled.infra.Service;
import io.decoupled.infra.kafka.ClickstreamKafkaStack;
import io.decoupled.infra.messaging.MessagingStack;
import io.decoupled.topology.Topology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * Least privilege, written out: the exact actions each service's task role needs on the exact resources it
 * uses, and nothing else. The L2 grant helpers would be shorter, but they hide what is granted; here a
 * reviewer (and {@code TaskRolePolicyTest}) can read every action. No statement has a wildcard action.
 */
final class TaskPermissions {

    /** Consume from a queue: long-poll, delete in batches, extend visibility, read its attributes. */
    static final List<String> CONSUME = List.of(
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl");
    /** Inspect and redrive a dead-letter queue back to its source (SQS message move tasks). */
    static final List<String> REDRIVE = List.of(
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:StartMessageMoveTask",
            "sqs:ListMessageMoveTasks");
    /** Writers encrypt (SNS publishers also decrypt), readers only decrypt. */
    static final List<String> ENCRYPT_AND_DECRYPT = List.of("kms:GenerateDataKey", "kms:Decrypt");

    static final List<String> ENCRYPT_ONLY = List.of("kms:GenerateDataKey");
    static final List<String> DECRYPT_ONLY = List.of("kms:Decrypt");
    static final List<String> PUBLISH = List.of("sns:Publish");
    /** click-ingest-service batches everything through PutRecords; it needs nothing else from the stream. */
    static final List<String> PUT_RECORDS = List.of("kinesis:PutRecords");
    /** KCL with polling retrieval; it lists shards this way with enhanced fan-out too. */
    static final List<String> KCL_READ = List.of(
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:ListShards",
            "kinesis:GetShardIterator",
            "kinesis:GetRecords");
    /** KCL with enhanced fan-out, on the consumer CloudFormation registered (so no RegisterStreamConsumer). */
    static final List<String> KCL_FAN_OUT = List.of("kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer");
    /**
     * What KCL 3 does with its lease, worker-metrics and coordinator-state tables, which it creates itself, including
     * point-in-time recovery on the lease table ({@code analytics.kcl.lease-table-protection}).
     */
    static final List<String> KCL_TABLES = List.of(
            "dynamodb:CreateTable",
            "dynamodb:DescribeTable",
            "dynamodb:UpdateTable",
            "dynamodb:UpdateContinuousBackups",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:Scan",
            "dynamodb:Query");

    /**
     * The idempotent producer on MSK with IAM: connect, and produce with a producer id (needed with
     * {@code enable.idempotence}, on the cluster).
     */
    static final List<String> KAFKA_CONNECT_IDEMPOTENT =
            List.of("kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently");

    static final List<String> KAFKA_CONNECT = List.of("kafka-cluster:Connect");
    /**
     * Write the clickstream topic; CreateTopic because click-ingest-service creates the topic at its first start (Boot's
     * KafkaAdmin, {@code clickstream.kafka.create-topic}), on this one topic only.
     */
    static final List<String> KAFKA_WRITE_TOPIC =
            List.of("kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:CreateTopic");

    static final List<String> KAFKA_READ_TOPIC = List.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData");
    /** Join the consumer group and commit its offsets (the checkpoints). */
    static final List<String> KAFKA_GROUP = List.of("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup");

    private final Stack stack;
    private final MessagingStack messaging;
    private final String kclApplicationName;
    private final Optional<String> fanOutConsumerArn;
    private final Optional<ClickstreamKafkaStack> kafka;

    TaskPermissions(
            Stack stack,
            MessagingStack messaging,
            String kclApplicationName,
            Optional<String> fanOutConsumerArn,
            Optional<ClickstreamKafkaStack> kafka) {
        this.stack = stack;
        this.messaging = messaging;
        this.kclApplicationName = kclApplicationName;
        this.fanOutConsumerArn = fanOutConsumerArn;
        this.kafka = kafka;
    }

    List<PolicyStatement> of(Service service) {
        var statements = new ArrayList<PolicyStatement>();
        switch (service) {
            case ORDER -> {
                statements.add(allow("PublishOrderEvents", PUBLISH, topicArn(Topology.ORDER_EVENTS)));
                // Claim check: an order event past 256 KiB is written to the payload bucket, a pointer published.
                statements.add(allow("OffloadLargePayloads", List.of("s3:PutObject"), payloadObjects()));
                statements.add(allow("ConsumeShipmentUpdates", CONSUME, queueArn(Topology.SHIPMENT_UPDATES)));
                statements.add(useKeyVia(ENCRYPT_AND_DECRYPT, "sns", "sqs"));
            }
            case SHIPPING -> {
                // GetQueueAttributes on its own queue also feeds the local backlog-per-worker autoscaler.
                statements.add(allow("ConsumeShippingOrders", CONSUME, queueArn(Topology.SHIPPING_ORDERS)));
                // Reads offloaded order events; never deletes them (fan-out shares one object, the lifecycle expires
                // it).
                statements.add(allow("ReadOffloadedPayloads", List.of("s3:GetObject"), payloadObjects()));
                statements.add(allow("RedriveShippingOrdersDlq", REDRIVE, queueArn(Topology.SHIPPING_ORDERS_DLQ)));
                // A move task sends the messages back to the source queue with the caller's permissions.
                statements.add(
                        allow("MoveDeadLettersBack", List.of("sqs:SendMessage"), queueArn(Topology.SHIPPING_ORDERS)));
                statements.add(allow("PublishShipmentEvents", PUBLISH, topicArn(Topology.SHIPMENT_EVENTS)));
                // The delay queue: shipping schedules each delivery confirmation on it and consumes it later.
                statements.add(allow(
                        "ScheduleDeliveryConfirmations",
                        List.of("sqs:SendMessage"),
                        queueArn(Topology.SHIPMENT_DELIVERIES)));
                statements.add(allow("ConsumeDeliveryConfirmations", CONSUME, queueArn(Topology.SHIPMENT_DELIVERIES)));
                statements.add(useKeyVia(ENCRYPT_AND_DECRYPT, "sns", "sqs"));
            }
            case CLICK_INGEST -> {
                if (kafka.isPresent()) {
                    var msk = kafka.get();
                    statements.add(allow("ConnectToClickstreamCluster", KAFKA_CONNECT_IDEMPOTENT, msk.clusterArn()));
                    statements.add(allow("WriteClickstreamTopic", KAFKA_WRITE_TOPIC, msk.clickstreamTopicArn()));
                } else {
                    statements.add(allow("PutClicks", PUT_RECORDS, streamArn(Topology.CLICKSTREAM)));
                    statements.add(useKeyVia(ENCRYPT_ONLY, "kinesis"));
                }
            }
            case ANALYTICS -> {
                if (kafka.isPresent()) {
                    var msk = kafka.get();
                    statements.add(allow("ConnectToClickstreamCluster", KAFKA_CONNECT, msk.clusterArn()));
                    statements.add(allow("ReadClickstreamTopic", KAFKA_READ_TOPIC, msk.clickstreamTopicArn()));
                    statements.add(allow("ClickstreamConsumerGroup", KAFKA_GROUP, msk.groupArn(kclApplicationName)));
                } else {
                    statements.add(allow("ReadClickstream", KCL_READ, streamArn(Topology.CLICKSTREAM)));
                    fanOutConsumerArn.ifPresent(
                            arn -> statements.add(allow("SubscribeToClickstreamShards", KCL_FAN_OUT, arn)));
                    statements.add(allow("KclLeaseTables", KCL_TABLES, kclTablesArn()));
                    statements.add(PolicyStatement.Builder.create()
                            .sid("KclMetrics")
                            .effect(Effect.ALLOW)
                            .actions(List.of("cloudwatch:PutMetricData"))
                            // PutMetricData has no resource-level permissions; the namespace condition is the scope.
                            .resources(List.of("*"))
                            .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", kclApplicationName)))
                            .build());
                }
                statements.add(allow("ReadOffloadedPayloads", List.of("s3:GetObject"), payloadObjects()));
                statements.add(allow(
                        "ConsumeOrderAndShipmentEvents",
                        CONSUME,
                        queueArn(Topology.ANALYTICS_ORDERS),
                        queueArn(Topology.ORDER_REVIEW),
                        queueArn(Topology.ANALYTICS_SHIPMENTS)));
                statements.add(
                        kafka.isPresent() ? useKeyVia(DECRYPT_ONLY, "sqs") : useKeyVia(DECRYPT_ONLY, "kinesis", "sqs"));
            }
        }
        return statements;
    }

    private PolicyStatement allow(String sid, List<String> actions, String... resources) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(resources))
                .build();
    }

    /**
     * The messaging key, only through the services that encrypt with it. Publishing to an encrypted topic or
     * putting to an encrypted stream needs GenerateDataKey, reading needs Decrypt; SNS needs both.
     */
    private PolicyStatement useKeyVia(List<String> actions, String... services) {
        var viaServices = Arrays.stream(services)
                .map(s -> s + "." + Aws.REGION + ".amazonaws.com")
                .toList();
        return PolicyStatement.Builder.create()
                .sid("UseMessagingKey")
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(messaging.key().getKeyArn()))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", viaServices)))
                .build();
    }

    private String payloadObjects() {
        return messaging.payloads().arnForObjects("*");
    }

    private String queueArn(String name) {
        return messaging.queue(name).getQueueArn();
    }

    private String topicArn(String name) {
        return messaging.topic(name).getTopicArn();
    }

    private String streamArn(String name) {
        return messaging.stream(name).getStreamArn();
    }

    /**
     * The tables KCL creates, all named after the application: the lease table (and its index, whose ARN
     * continues with /index/...), which since KCL 3.5 also holds the leader lock and worker metrics, and the
     * {@code <app>-WorkerMetricStats} and {@code <app>-CoordinatorState} tables that KCL 3.1 to 3.4 used.
     */
    private String kclTablesArn() {
        return stack.formatArn(ArnComponents.builder()
                .service("dynamodb")
                .resource("table")
                .resourceName(kclApplicationName + "*")
                .build());
    }
}
