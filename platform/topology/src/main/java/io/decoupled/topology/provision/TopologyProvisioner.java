package io.decoupled.topology.provision;

import io.decoupled.topology.QueueSpec;
import io.decoupled.topology.StreamSpec;
import io.decoupled.topology.SubscriptionSpec;
import io.decoupled.topology.TopicSpec;
import io.decoupled.topology.Topology;
import io.decoupled.topology.provision.Change.Action;
import io.decoupled.topology.provision.Change.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates the topology on an AWS endpoint idempotently. Every resource is first looked up and compared:
 * missing resources are created, differing mutable attributes are set, equal ones are left alone, so a
 * second run against the same endpoint changes nothing and reports {@link Action#UNCHANGED} throughout.
 */
public final class TopologyProvisioner {
    private static final Logger log = LoggerFactory.getLogger(TopologyProvisioner.class);
    private static final Pattern DLQ_ARN = Pattern.compile("\"deadLetterTargetArn\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern MAX_RECEIVES = Pattern.compile("\"maxReceiveCount\"\\s*:\\s*\"?(\\d+)\"?");

    private final SqsClient sqs;
    private final SnsClient sns;
    private final KinesisClient kinesis;

    public TopologyProvisioner(SqsClient sqs, SnsClient sns, KinesisClient kinesis) {
        this.sqs = sqs;
        this.sns = sns;
        this.kinesis = kinesis;
    }

    public ProvisioningReport provision(Topology topology) {
        var changes = new ArrayList<Change>();
        var topicArns = new HashMap<String, String>();
        for (var topic : topology.topics()) {
            topicArns.put(topic.name(), ensureTopic(topic, changes));
        }
        var queueUrls = new HashMap<String, String>();
        var queueArns = new HashMap<String, String>();
        for (var queue : topology.queuesInCreationOrder()) {
            var sourceTopics = topology.topicsSendingTo(queue.name()).stream()
                    .map(topicArns::get)
                    .toList();
            String url = ensureQueue(queue, queueArns, sourceTopics, changes);
            queueUrls.put(queue.name(), url);
        }
        for (var subscription : topology.subscriptions()) {
            ensureSubscription(
                    subscription,
                    topicArns.get(subscription.topic()),
                    queueArns.get(subscription.queue()),
                    queueArns,
                    changes);
        }
        var streamArns = new HashMap<String, String>();
        for (var stream : topology.streams()) {
            streamArns.put(stream.name(), ensureStream(stream, changes));
        }
        changes.stream().filter(c -> c.action() != Action.UNCHANGED).forEach(c -> log.info("{}", c));
        return new ProvisioningReport(changes, new ProvisionedTopology(queueUrls, queueArns, topicArns, streamArns));
    }

    private String ensureTopic(TopicSpec topic, List<Change> changes) {
        var existing = findTopicArn(topic.name());
        var attributes = new HashMap<String, String>();
        if (topic.fifo()) {
            attributes.put("FifoTopic", "true");
            attributes.put("ContentBasedDeduplication", "false");
        }
        // CreateTopic is idempotent for equal attributes and returns the existing ARN.
        String arn = sns.createTopic(r -> r.name(topic.name()).attributes(attributes))
                .topicArn();
        changes.add(
                new Change(Resource.TOPIC, topic.name(), existing.isPresent() ? Action.UNCHANGED : Action.CREATED, ""));
        return arn;
    }

    private Optional<String> findTopicArn(String name) {
        return sns.listTopicsPaginator(r -> {}).topics().stream()
                .map(t -> t.topicArn())
                .filter(arn -> arn.endsWith(":" + name))
                .findFirst();
    }

    private String ensureQueue(
            QueueSpec queue, Map<String, String> knownArns, List<String> sourceTopicArns, List<Change> changes) {
        var desired = desiredAttributes(queue, knownArns, sourceTopicArns);
        String url;
        try {
            url = sqs.getQueueUrl(r -> r.queueName(queue.name())).queueUrl();
        } catch (QueueDoesNotExistException e) {
            var createAttributes = new LinkedHashMap<>(desired);
            if (queue.fifo()) {
                createAttributes.put(QueueAttributeName.FIFO_QUEUE, "true");
                createAttributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
            }
            url = sqs.createQueue(r -> r.queueName(queue.name()).attributes(createAttributes))
                    .queueUrl();
            knownArns.put(queue.name(), queueArn(url));
            changes.add(new Change(Resource.QUEUE, queue.name(), Action.CREATED, ""));
            return url;
        }
        String queueUrl = url;
        var current = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL))
                .attributes();
        var differing = new LinkedHashMap<QueueAttributeName, String>();
        desired.forEach((name, value) -> {
            if (!sameAttribute(name, value, current.get(name))) {
                differing.put(name, value);
            }
        });
        if (!differing.isEmpty()) {
            sqs.setQueueAttributes(r -> r.queueUrl(queueUrl).attributes(differing));
        }
        knownArns.put(queue.name(), current.getOrDefault(QueueAttributeName.QUEUE_ARN, queueArn(url)));
        changes.add(new Change(
                Resource.QUEUE,
                queue.name(),
                differing.isEmpty() ? Action.UNCHANGED : Action.UPDATED,
                differing.isEmpty() ? "" : "set " + differing.keySet()));
        return url;
    }

    private Map<QueueAttributeName, String> desiredAttributes(
            QueueSpec queue, Map<String, String> knownArns, List<String> sourceTopicArns) {
        var attributes = new LinkedHashMap<QueueAttributeName, String>();
        attributes.put(
                QueueAttributeName.VISIBILITY_TIMEOUT,
                Long.toString(queue.visibilityTimeout().toSeconds()));
        attributes.put(
                QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
                Long.toString(queue.receiveWaitTime().toSeconds()));
        attributes.put(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                Long.toString(queue.retentionPeriod().toSeconds()));
        attributes.put(
                QueueAttributeName.DELAY_SECONDS,
                Long.toString(queue.deliveryDelay().toSeconds()));
        queue.redrive()
                .ifPresent(r -> attributes.put(
                        QueueAttributeName.REDRIVE_POLICY, r.toJson(knownArns.get(r.deadLetterQueue()))));
        if (!sourceTopicArns.isEmpty()) {
            // On AWS a topic may only deliver to a queue whose policy lets that topic send (aws:SourceArn).
            attributes.put(QueueAttributeName.POLICY, QueuePolicies.allowTopicsToSend(sourceTopicArns));
        }
        return attributes;
    }

    private static boolean sameAttribute(QueueAttributeName name, String desired, String current) {
        if (current == null) {
            return false;
        }
        if (name == QueueAttributeName.REDRIVE_POLICY) {
            return group(DLQ_ARN, desired).equals(group(DLQ_ARN, current))
                    && group(MAX_RECEIVES, desired).equals(group(MAX_RECEIVES, current));
        }
        if (name == QueueAttributeName.POLICY) {
            return desired.replaceAll("\\s", "").equals(current.replaceAll("\\s", ""));
        }
        return desired.equals(current);
    }

    private static String group(Pattern pattern, String text) {
        var m = pattern.matcher(text);
        return m.find() ? m.group(1) : "";
    }

    private String queueArn(String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private void ensureSubscription(
            SubscriptionSpec spec,
            String topicArn,
            String queueArn,
            Map<String, String> queueArns,
            List<Change> changes) {
        var name = spec.topic() + " -> " + spec.queue();
        var desired = new LinkedHashMap<String, String>();
        desired.put("RawMessageDelivery", Boolean.toString(spec.rawMessageDelivery()));
        spec.filterPolicy().ifPresent(p -> {
            desired.put("FilterPolicyScope", p.scope().awsName());
            desired.put("FilterPolicy", p.toJson());
        });
        // Accepted by every endpoint we provision; whether SNS acts on it is the endpoint's business
        // (fauxqs 1.9.2 stores it but never redrives; docs/infra.md says where it works).
        spec.deadLetterQueue()
                .ifPresent(dlq -> desired.put("RedrivePolicy", SubscriptionSpec.redrivePolicyJson(queueArns.get(dlq))));
        var existing = sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(topicArn)).subscriptions().stream()
                .filter(s -> "sqs".equals(s.protocol()) && queueArn.equals(s.endpoint()))
                .map(Subscription::subscriptionArn)
                .findFirst();
        if (existing.isEmpty()) {
            sns.subscribe(r -> r.topicArn(topicArn)
                    .protocol("sqs")
                    .endpoint(queueArn)
                    .attributes(desired)
                    .returnSubscriptionArn(true));
            changes.add(new Change(Resource.SUBSCRIPTION, name, Action.CREATED, ""));
            return;
        }
        var current = sns.getSubscriptionAttributes(r -> r.subscriptionArn(existing.get()))
                .attributes();
        var differing = new ArrayList<String>();
        desired.forEach((key, value) -> {
            if (!sameSubscriptionAttribute(key, value, current.get(key))) {
                sns.setSubscriptionAttributes(r ->
                        r.subscriptionArn(existing.get()).attributeName(key).attributeValue(value));
                differing.add(key);
            }
        });
        if (spec.filterPolicy().isEmpty() && notBlank(current.get("FilterPolicy"))) {
            // An empty value removes the policy: the subscription then receives everything, as defined.
            sns.setSubscriptionAttributes(r -> r.subscriptionArn(existing.get())
                    .attributeName("FilterPolicy")
                    .attributeValue(""));
            differing.add("FilterPolicy");
        }
        changes.add(new Change(
                Resource.SUBSCRIPTION,
                name,
                differing.isEmpty() ? Action.UNCHANGED : Action.UPDATED,
                differing.isEmpty() ? "" : "set " + differing));
    }

    private static boolean sameSubscriptionAttribute(String key, String desired, String current) {
        if (current == null) {
            return false;
        }
        if ("FilterPolicy".equals(key)) {
            return FilterPolicies.equivalent(desired, current);
        }
        if ("RedrivePolicy".equals(key)) {
            return group(DLQ_ARN, desired).equals(group(DLQ_ARN, current));
        }
        return desired.equalsIgnoreCase(current);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank() && !"{}".equals(value.strip());
    }

    private String ensureStream(StreamSpec stream, List<Change> changes) {
        try {
            var summary = kinesis.describeStreamSummary(r -> r.streamName(stream.name()))
                    .streamDescriptionSummary();
            changes.add(new Change(
                    Resource.STREAM, stream.name(), Action.UNCHANGED, summary.openShardCount() + " open shards"));
            return summary.streamARN();
        } catch (ResourceNotFoundException e) {
            kinesis.createStream(r -> r.streamName(stream.name()).shardCount(stream.localShardCount()));
            kinesis.waiter().waitUntilStreamExists(r -> r.streamName(stream.name()));
            changes.add(
                    new Change(Resource.STREAM, stream.name(), Action.CREATED, stream.localShardCount() + " shards"));
            return kinesis.describeStreamSummary(r -> r.streamName(stream.name()))
                    .streamDescriptionSummary()
                    .streamARN();
        }
    }
}
