package io.decoupled.infra.compute;

import io.decoupled.infra.Service;
import io.decoupled.infra.kafka.ClickstreamKafkaStack;
import io.decoupled.infra.messaging.MessagingStack;
import io.decoupled.topology.Topology;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Aws;

/**
 * The plain (non-secret) configuration of each task, as environment variables that Spring Boot binds by
 * relaxed binding (ORDER_OUTBOX_TOPIC sets {@code order.outbox.topic}). Queue, topic and stream names in AWS
 * equal the topology's, so the services' defaults already point at the right resources; what is set here is
 * what cannot be a default: ARNs and URLs (which contain the account), the region, the database URL.
 * No endpoint is set: in AWS the SDK's default endpoints are the right ones. The table in docs/infra.md
 * lists every variable.
 */
final class ServiceEnvironment {

    static final String PORT = "8080";
    static final String MANAGEMENT_PORT = "9090";

    private ServiceEnvironment() {}

    static Map<String, String> of(
            Service service,
            MessagingStack messaging,
            String kclApplicationName,
            int shippingWorkersPerTask,
            Optional<String> fanOutConsumerArn,
            Optional<ClickstreamKafkaStack> kafka) {
        var env = new LinkedHashMap<String, String>();
        env.put("PORT", PORT);
        // Actuator on a port of its own, which no listener forwards to (only the health check reaches it).
        env.put("MANAGEMENT_SERVER_PORT", MANAGEMENT_PORT);
        // Explicit, so that Spring Cloud AWS never has to guess; ECS sets AWS_REGION too.
        env.put("SPRING_CLOUD_AWS_REGION_STATIC", Aws.REGION);
        switch (service) {
            // Topics by ARN: resolving a name would need sns:ListTopics, which no task role has.
            case ORDER -> {
                env.put(
                        "ORDER_OUTBOX_TOPIC",
                        messaging.topic(Topology.ORDER_EVENTS).getTopicArn());
                // The claim check's bucket, named by CloudFormation: order-service writes events past 256 KiB to it.
                // The readers need no name; each pointer carries its bucket.
                env.put("ORDER_OUTBOX_PAYLOAD_BUCKET", messaging.payloads().getBucketName());
            }
            case SHIPPING -> {
                env.put(
                        "SHIPPING_OUTBOX_TOPIC",
                        messaging.topic(Topology.SHIPMENT_EVENTS).getTopicArn());
                env.put(
                        "SHIPPING_CONSUMER_QUEUE",
                        messaging.queue(Topology.SHIPPING_ORDERS).getQueueUrl());
                // In AWS one controller sizes the consumers: ECS scales tasks on backlog per task, each task runs a
                // fixed pool. Two controllers acting on the same backlog would chase each other.
                env.put("SHIPPING_AUTOSCALING_ENABLED", "false");
                env.put("SHIPPING_CONSUMER_WORKERS", Integer.toString(shippingWorkersPerTask));
            }
            case CLICK_INGEST ->
                kafka.ifPresentOrElse(
                        msk -> {
                            env.put("CLICKSTREAM_BACKEND", "kafka");
                            env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", msk.bootstrapServers());
                            // SASL_SSL with AWS_MSK_IAM: the task role's credentials sign the connection (no password
                            // anywhere).
                            env.put("CLICKSTREAM_KAFKA_MSK_IAM", "true");
                        },
                        () -> env.put(
                                "CLICKSTREAM_PRODUCER_STREAM",
                                messaging.stream(Topology.CLICKSTREAM).getStreamName()));
            case ANALYTICS ->
                kafka.ifPresentOrElse(
                        msk -> {
                            env.put("ANALYTICS_CLICKSTREAM_BACKEND", "kafka");
                            env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", msk.bootstrapServers());
                            env.put("ANALYTICS_CLICKSTREAM_KAFKA_MSK_IAM", "true");
                            // The consumer group is what the KCL application is on Kinesis; the role's group
                            // permissions name it.
                            env.put("ANALYTICS_CLICKSTREAM_KAFKA_GROUP_ID", kclApplicationName);
                        },
                        () -> {
                            env.put(
                                    "ANALYTICS_KCL_STREAM",
                                    messaging.stream(Topology.CLICKSTREAM).getStreamName());
                            // The lease tables, and the metric namespace, are named after the application: the task
                            // role's
                            // DynamoDB and CloudWatch permissions are scoped to this name.
                            env.put("ANALYTICS_KCL_APPLICATION_NAME", kclApplicationName);
                            env.put("ANALYTICS_KCL_METRICS_LEVEL", "SUMMARY");
                            // The lease table holds the checkpoints and is created by the KCL, outside
                            // CloudFormation: deletion protection and point-in-time recovery keep them.
                            env.put("ANALYTICS_KCL_LEASE_TABLE_PROTECTION", "true");
                            // Enhanced fan-out through the consumer CloudFormation registered; polling otherwise (the
                            // default).
                            fanOutConsumerArn.ifPresent(arn -> {
                                env.put("ANALYTICS_KCL_RETRIEVAL", "FAN_OUT");
                                env.put("ANALYTICS_KCL_CONSUMER_ARN", arn);
                            });
                        });
        }
        return env;
    }
}
