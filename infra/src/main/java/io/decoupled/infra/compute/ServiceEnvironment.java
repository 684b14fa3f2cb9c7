package io.decoupled.infra.compute;

import io.decoupled.infra.Service;
import io.decoupled.infra.messaging.MessagingStack;
import io.decoupled.topology.Topology;
import java.util.LinkedHashMap;
import java.util.Map;
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

    private ServiceEnvironment() {
    }

    static Map<String, String> of(Service service, MessagingStack messaging, String kclApplicationName) {
        var env = new LinkedHashMap<String, String>();
        env.put("PORT", PORT);
        // Explicit, so that Spring Cloud AWS never has to guess; ECS sets AWS_REGION too.
        env.put("SPRING_CLOUD_AWS_REGION_STATIC", Aws.REGION);
        switch (service) {
            case ORDER -> {
                // By ARN: resolving a topic name would need sns:CreateTopic or sns:ListTopics.
                env.put("ORDER_OUTBOX_TOPIC", messaging.topic(Topology.ORDER_EVENTS).getTopicArn());
                env.put("ORDER_SHIPMENT_UPDATES_QUEUE", messaging.queue(Topology.SHIPMENT_UPDATES).getQueueUrl());
            }
            case SHIPPING -> {
                env.put("SHIPPING_CONSUMER_QUEUE", messaging.queue(Topology.SHIPPING_ORDERS).getQueueUrl());
                env.put("SHIPPING_DLQ_QUEUE", messaging.queue(Topology.SHIPPING_ORDERS_DLQ).getQueueUrl());
                env.put("SHIPPING_EVENTS_TOPIC", messaging.topic(Topology.SHIPMENT_EVENTS).getTopicArn());
            }
            case CLICK_INGEST -> env.put("CLICKS_STREAM_NAME", messaging.stream(Topology.CLICKSTREAM).getStreamName());
            case ANALYTICS -> {
                env.put("ANALYTICS_CLICKSTREAM_STREAM_NAME", messaging.stream(Topology.CLICKSTREAM).getStreamName());
                env.put("ANALYTICS_CLICKSTREAM_APPLICATION_NAME", kclApplicationName);
            }
        }
        return env;
    }
}
