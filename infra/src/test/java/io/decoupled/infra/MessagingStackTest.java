package io.decoupled.infra;

import static io.decoupled.infra.TemplateJson.properties;
import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.infra.messaging.MessagingStack;
import io.decoupled.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kinesis.StreamMode;

class MessagingStackTest {

    private final SynthesizedSystem synthesized = SynthesizedSystem.defaults();
    private final TemplateJson json = new TemplateJson(synthesized);
    private final MessagingStack messaging = synthesized.system().messaging();
    private final Topology topology = Topology.reference();

    @Test
    void everyQueueOfTheTopologyIsDeployedWithItsSettingsAndNoOther() {
        var queues = json.resources(messaging, "AWS::SQS::Queue").values().stream()
                .collect(Collectors.toMap(q -> (String) properties(q).get("QueueName"), TemplateJson::properties));
        assertThat(queues.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        topology.queues().stream().map(q -> q.name()).toList());

        for (var spec : topology.queues()) {
            var queue = queues.get(spec.name());
            assertThat(queue)
                    .containsEntry(
                            "VisibilityTimeout", (int) spec.visibilityTimeout().toSeconds())
                    .containsEntry("ReceiveMessageWaitTimeSeconds", (int)
                            spec.receiveWaitTime().toSeconds())
                    .containsEntry("MessageRetentionPeriod", (int)
                            spec.retentionPeriod().toSeconds())
                    .containsEntry("KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(keyLogicalId(), "Arn")));
            if (spec.deliveryDelay().isZero()) {
                assertThat(queue).doesNotContainKey("DelaySeconds");
            } else {
                assertThat(queue).containsEntry("DelaySeconds", (int)
                        spec.deliveryDelay().toSeconds());
            }
            if (spec.fifo()) {
                assertThat(queue).containsEntry("FifoQueue", true).containsEntry("ContentBasedDeduplication", false);
            } else {
                assertThat(queue).doesNotContainKey("FifoQueue");
            }
            spec.redrive()
                    .ifPresentOrElse(
                            redrive -> {
                                @SuppressWarnings("unchecked")
                                var policy = (Map<String, Object>) queue.get("RedrivePolicy");
                                assertThat(policy.get("maxReceiveCount")).isEqualTo(redrive.maxReceiveCount());
                                assertThat(json.describeIn(messaging, policy.get("deadLetterTargetArn")))
                                        .isEqualTo("sqs:" + redrive.deadLetterQueue());
                            },
                            () -> assertThat(queue).doesNotContainKey("RedrivePolicy"));
        }
    }

    @Test
    void deadLetterQueuesAcceptRedrivesOnlyFromTheQueuesTheyServe() {
        var template = synthesized.template(messaging);
        template.hasResourceProperties(
                "AWS::SQS::Queue",
                Map.of(
                        "QueueName",
                        Topology.SHIPPING_ORDERS_DLQ,
                        "RedriveAllowPolicy",
                        Map.of(
                                "redrivePermission",
                                "byQueue",
                                "sourceQueueArns",
                                List.of(Map.of(
                                        "Fn::Join",
                                        List.of(
                                                "",
                                                List.of(
                                                        "arn:aws:sqs:us-east-1:",
                                                        Map.of("Ref", "AWS::AccountId"),
                                                        ":" + Topology.SHIPPING_ORDERS)))))));
    }

    @Test
    void everySubscriptionCarriesItsFilterPolicyScopeAndDelivery() {
        var subscriptions = json.resources(messaging, "AWS::SNS::Subscription").values().stream()
                .map(TemplateJson::properties)
                .toList();
        assertThat(subscriptions).hasSameSizeAs(topology.subscriptions());
        for (var spec : topology.subscriptions()) {
            var deployed = subscriptions.stream()
                    .filter(s -> json.describeIn(messaging, s.get("TopicArn")).equals("sns:" + spec.topic())
                            && json.describeIn(messaging, s.get("Endpoint")).equals("sqs:" + spec.queue()))
                    .toList();
            assertThat(deployed).as(spec.topic() + " -> " + spec.queue()).hasSize(1);
            var subscription = deployed.getFirst();
            assertThat(subscription)
                    .containsEntry("Protocol", "sqs")
                    .containsEntry("RawMessageDelivery", spec.rawMessageDelivery());
            spec.filterPolicy()
                    .ifPresentOrElse(
                            policy -> {
                                assertThat(subscription)
                                        .containsEntry(
                                                "FilterPolicyScope",
                                                policy.scope().awsName());
                                assertThat(subscription.get("FilterPolicy")).isEqualTo(policy.policy());
                            },
                            () -> assertThat(subscription).doesNotContainKeys("FilterPolicy", "FilterPolicyScope"));
            // Its own DLQ for what SNS cannot deliver (AWS's advice for fan-out).
            @SuppressWarnings("unchecked")
            var redrive = (Map<String, Object>) subscription.get("RedrivePolicy");
            assertThat(json.describeIn(messaging, redrive.get("deadLetterTargetArn")))
                    .isEqualTo("sqs:" + spec.deadLetterQueue().orElseThrow());
        }
    }

    @Test
    void shippingReceivesPlacedAndCancelledPhysicalOrdersAndReviewOnlyHighTotals() {
        // Stated literally, so that a change in the topology's meaning fails here and not in production.
        var template = synthesized.template(messaging);
        template.hasResourceProperties(
                "AWS::SNS::Subscription",
                Map.of(
                        "Endpoint", Map.of("Fn::GetAtt", List.of(logicalIdOfQueue(Topology.SHIPPING_ORDERS), "Arn")),
                        "FilterPolicyScope", "MessageAttributes",
                        "FilterPolicy",
                                Map.of(
                                        "eventType",
                                        List.of("OrderPlaced", "OrderCancelled"),
                                        "fulfillment",
                                        List.of("SHIP"))));
        template.hasResourceProperties(
                "AWS::SNS::Subscription",
                Map.of(
                        "Endpoint", Map.of("Fn::GetAtt", List.of(logicalIdOfQueue(Topology.ORDER_REVIEW), "Arn")),
                        // On the total attribute: an event offloaded to S3 is a pointer without a total in its body.
                        "FilterPolicyScope", "MessageAttributes",
                        "FilterPolicy", Map.of("total", List.of(Map.of("numeric", List.of(">=", 1000))))));
    }

    @Test
    void eachSubscribedQueueAdmitsOnlyItsTopicsAndOnlyOverTls() {
        var policies = json.resources(messaging, "AWS::SQS::QueuePolicy").values().stream()
                .map(TemplateJson::properties)
                .toList();
        assertThat(policies).hasSize(topology.queues().size());
        for (var policy : policies) {
            @SuppressWarnings("unchecked")
            var queue = json.describeIn(messaging, ((List<Object>) policy.get("Queues")).getFirst());
            @SuppressWarnings("unchecked")
            var statements =
                    (List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");
            assertThat(statements)
                    .as(queue)
                    .anySatisfy(s -> assertThat(s)
                            .containsEntry("Effect", "Deny")
                            .containsEntry("Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))));
            var expectedSources = topology.queues().stream()
                    .filter(q -> queue.equals("sqs:" + q.name()))
                    .flatMap(q -> topology.topicsSendingTo(q.name()).stream())
                    .map(t -> "sns:" + t)
                    .toList();
            var allows = statements.stream()
                    .filter(s -> "Allow".equals(s.get("Effect")))
                    .toList();
            if (expectedSources.isEmpty()) {
                assertThat(allows)
                        .as(queue + " is no subscriber: nobody else may send")
                        .isEmpty();
            } else {
                assertThat(allows).as(queue).singleElement().satisfies(allow -> {
                    assertThat(allow)
                            .containsEntry("Action", "sqs:SendMessage")
                            .containsEntry("Principal", Map.of("Service", "sns.amazonaws.com"));
                    @SuppressWarnings("unchecked")
                    var sources = (List<Object>) ((Map<String, Map<String, Object>>) allow.get("Condition"))
                            .get("ArnEquals")
                            .get("aws:SourceArn");
                    assertThat(sources.stream().map(s -> json.describeIn(messaging, s)))
                            .containsExactlyInAnyOrderElementsOf(expectedSources);
                });
            }
        }
    }

    @Test
    void topicsAreEncryptedTlsOnlyAndFifoWhereTheTopologySaysSo() {
        var topics = json.resources(messaging, "AWS::SNS::Topic").values().stream()
                .map(TemplateJson::properties)
                .toList();
        assertThat(topics.stream().map(t -> t.get("TopicName")))
                .containsExactlyInAnyOrder(Topology.ORDER_EVENTS, Topology.SHIPMENT_EVENTS);
        assertThat(topics)
                .allSatisfy(t -> assertThat(t)
                        .containsEntry("KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(keyLogicalId(), "Arn"))));
        synthesized
                .template(messaging)
                .hasResourceProperties(
                        "AWS::SNS::Topic",
                        Map.of(
                                "TopicName",
                                Topology.SHIPMENT_EVENTS,
                                "FifoTopic",
                                true,
                                "ContentBasedDeduplication",
                                false));
        synthesized.template(messaging).resourceCountIs("AWS::SNS::TopicPolicy", 2);
        synthesized
                .template(messaging)
                .allResourcesProperties(
                        "AWS::SNS::TopicPolicy",
                        Map.of(
                                "PolicyDocument",
                                Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Effect",
                                                "Deny",
                                                "Condition",
                                                Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void streamIsEncryptedWithTheCustomerKeyAndHasTheTopologysShards() {
        var stream = topology.streams().getFirst();
        synthesized
                .template(messaging)
                .hasResourceProperties(
                        "AWS::Kinesis::Stream",
                        Map.of(
                                "Name", stream.name(),
                                "ShardCount", stream.localShardCount(),
                                "RetentionPeriodHours", (int) stream.retention().toHours(),
                                "StreamEncryption",
                                        Map.of(
                                                "EncryptionType",
                                                "KMS",
                                                "KeyId",
                                                Map.of("Fn::GetAtt", List.of(keyLogicalId(), "Arn"))),
                                "StreamModeDetails", Map.of("StreamMode", "PROVISIONED")));
    }

    @Test
    void keyRotatesAndSnsMayUseItOnlyForTheseTopics() {
        var topicRefs = topology.topics().stream()
                .map(t -> Map.of(
                        "Fn::Join",
                        List.of(
                                "",
                                List.of("arn:aws:sns:us-east-1:", Map.of("Ref", "AWS::AccountId"), ":" + t.name()))))
                .toList();
        var snsStatement = Match.objectLike(Map.of(
                "Principal", Map.of("Service", "sns.amazonaws.com"),
                "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", topicRefs))));
        synthesized
                .template(messaging)
                .hasResourceProperties(
                        "AWS::KMS::Key",
                        Map.of(
                                "EnableKeyRotation",
                                true,
                                "KeyPolicy",
                                Map.of("Statement", Match.arrayWith(List.of(snsStatement)))));
    }

    @Test
    void offloadedPayloadsLiveInAnEncryptedPrivateTlsOnlyBucketThatOutlivesEveryPointerByADay() {
        var template = synthesized.template(messaging);
        template.resourceCountIs("AWS::S3::Bucket", 1);
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Map.of(
                        "BucketEncryption",
                                Map.of(
                                        "ServerSideEncryptionConfiguration",
                                        List.of(Map.of(
                                                "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                        "PublicAccessBlockConfiguration",
                                Map.of(
                                        "BlockPublicAcls",
                                        true,
                                        "BlockPublicPolicy",
                                        true,
                                        "IgnorePublicAcls",
                                        true,
                                        "RestrictPublicBuckets",
                                        true),
                        "LifecycleConfiguration",
                                Map.of(
                                        "Rules",
                                        List.of(Match.objectLike(Map.of(
                                                "ExpirationInDays",
                                                29,
                                                "AbortIncompleteMultipartUpload",
                                                Map.of("DaysAfterInitiation", 1),
                                                "Status",
                                                "Enabled"))))));
        // 29 days: twice the longest a queue keeps a message (a DLQ's 14) plus one, so that no pointer outlives its
        // payload, even one redriven (sent again as a new message) on the DLQ's last day.
        assertThat(MessagingStack.payloadExpiry(topology)).isEqualTo(Duration.ofDays(29));
        template.hasResourceProperties(
                "AWS::S3::BucketPolicy",
                Map.of(
                        "PolicyDocument",
                        Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Effect",
                                        "Deny",
                                        "Action",
                                        "s3:*",
                                        "Condition",
                                        Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void aChangedTopologyChangesTheStackWithoutAnyCodeChange() {
        var variant = Topology.reference()
                .withVisibilityTimeout(Topology.SHIPPING_ORDERS, Duration.ofMinutes(5))
                .withDeliveryDelay(Topology.SHIPMENT_DELIVERIES, Duration.ofMinutes(2));
        var stack = new MessagingStack(
                new App(),
                "Variant",
                StackProps.builder().build(),
                new MessagingStack.Props(variant, StreamMode.ON_DEMAND));
        var template = Template.fromStack(stack);
        template.hasResourceProperties(
                "AWS::SQS::Queue", Map.of("QueueName", Topology.SHIPPING_ORDERS, "VisibilityTimeout", 300));
        template.hasResourceProperties(
                "AWS::SQS::Queue", Map.of("QueueName", Topology.SHIPMENT_DELIVERIES, "DelaySeconds", 120));
        template.hasResourceProperties(
                "AWS::Kinesis::Stream", Map.of("StreamModeDetails", Map.of("StreamMode", "ON_DEMAND")));
    }

    private String keyLogicalId() {
        return json.resources(messaging, "AWS::KMS::Key").keySet().iterator().next();
    }

    private String logicalIdOfQueue(String name) {
        return logicalIdOf("AWS::SQS::Queue", "QueueName", name);
    }

    private String logicalIdOf(String type, String nameProperty, String name) {
        return json.resources(messaging, type).entrySet().stream()
                .filter(e -> name.equals(properties(e.getValue()).get(nameProperty)))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }
}
