package io.decoupled.localaws;

import static io.decoupled.topology.OrderEventAttributes.COUNTRY;
import static io.decoupled.topology.OrderEventAttributes.DIGITAL;
import static io.decoupled.topology.OrderEventAttributes.EVENT_TYPE;
import static io.decoupled.topology.OrderEventAttributes.FULFILLMENT;
import static io.decoupled.topology.OrderEventAttributes.ORDER_CANCELLED;
import static io.decoupled.topology.OrderEventAttributes.ORDER_PLACED;
import static io.decoupled.topology.OrderEventAttributes.SHIP;
import static io.decoupled.topology.OrderEventAttributes.TOTAL;
import static io.decoupled.topology.Topology.ANALYTICS_ORDERS;
import static io.decoupled.topology.Topology.ANALYTICS_SHIPMENTS;
import static io.decoupled.topology.Topology.ORDER_REVIEW;
import static io.decoupled.topology.Topology.SHIPMENT_UPDATES;
import static io.decoupled.topology.Topology.SHIPPING_ORDERS;
import static io.decoupled.topology.Topology.SHIPPING_ORDERS_DLQ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.conformance.Behaviour;
import io.decoupled.localaws.conformance.ConformanceRecorder;
import io.decoupled.topology.Topology;
import io.decoupled.topology.provision.TopologyProvisioner;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What every AWS environment must do for the system to work: the behaviour of the topology itself, on
 * real emulators (or LocalStack). Each subclass runs the same cases on one environment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ConformanceRecorder.class)
abstract class AwsEnvironmentContract {

    private AwsEnvironment env;
    private SqsClient sqs;
    private SnsClient sns;
    private KinesisClient kinesis;
    private DynamoDbClient dynamo;
    private final String run = UUID.randomUUID().toString();

    abstract AwsEnvironment environment();

    @BeforeAll
    void connect() {
        env = environment();
        sqs = env.sqs();
        sns = env.sns();
        kinesis = env.kinesis();
        dynamo = env.dynamoDb();
    }

    @AfterAll
    void disconnect() {
        sqs.close();
        sns.close();
        kinesis.close();
        dynamo.close();
    }

    record Case(String id, String eventType, String fulfillment, double total, Set<String> expectedQueues) {}

    @Test
    @Behaviour(
            value =
                    "SNS filter policies: attribute scope (AND of keys, numeric `>=` on a Number attribute); raw delivery keeps message attributes",
            service = AwsService.SNS)
    void orderEventsReachExactlyTheQueuesWhoseFilterPoliciesMatch() {
        var cases = List.of(
                new Case("ship-placed", ORDER_PLACED, SHIP, 120.50, Set.of(SHIPPING_ORDERS, ANALYTICS_ORDERS)),
                new Case("digital-placed", ORDER_PLACED, DIGITAL, 40, Set.of(ANALYTICS_ORDERS)),
                // A physical order's cancellation is a request to shipping (the cancellation saga); a digital one is
                // not.
                new Case("ship-cancelled", ORDER_CANCELLED, SHIP, 80, Set.of(SHIPPING_ORDERS, ANALYTICS_ORDERS)),
                new Case("digital-cancelled", ORDER_CANCELLED, DIGITAL, 80, Set.of(ANALYTICS_ORDERS)),
                new Case(
                        "ship-high-value",
                        ORDER_PLACED,
                        SHIP,
                        2500,
                        Set.of(SHIPPING_ORDERS, ANALYTICS_ORDERS, ORDER_REVIEW)),
                new Case("digital-at-threshold", ORDER_PLACED, DIGITAL, 1000, Set.of(ANALYTICS_ORDERS, ORDER_REVIEW)),
                new Case("digital-just-below", ORDER_PLACED, DIGITAL, 999.99, Set.of(ANALYTICS_ORDERS)));
        var topicArn = env.topology().topicArn(Topology.ORDER_EVENTS);
        for (var c : cases) {
            var body = "{\"run\":\"" + run + "\",\"case\":\"" + c.id() + "\",\"eventType\":\"" + c.eventType()
                    + "\",\"total\":" + c.total() + "}";
            sns.publish(p -> p.topicArn(topicArn)
                    .message(body)
                    .messageAttributes(Map.of(
                            EVENT_TYPE, string(c.eventType()),
                            FULFILLMENT, string(c.fulfillment()),
                            TOTAL,
                                    MessageAttributeValue.builder()
                                            .dataType("Number")
                                            .stringValue(Double.toString(c.total()))
                                            .build(),
                            COUNTRY, string("DE"))));
        }
        var expected = new HashMap<String, Set<String>>();
        for (var queue : List.of(SHIPPING_ORDERS, ANALYTICS_ORDERS, ORDER_REVIEW)) {
            expected.put(queue, new HashSet<>());
        }
        cases.forEach(c -> c.expectedQueues().forEach(q -> expected.get(q).add(c.id())));

        var received = new HashMap<String, Set<String>>();
        var rawAttributes = new ArrayList<Map<String, ?>>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            drainCases(received, rawAttributes);
            assertThat(received).isEqualTo(expected);
        });
        // Nothing more arrives: no queue got a message its policy should have filtered out.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
            drainCases(received, rawAttributes);
            return received.equals(expected);
        });
        // Raw delivery keeps the message attributes, which consumers use without parsing the body.
        assertThat(rawAttributes)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a).containsKeys(EVENT_TYPE, FULFILLMENT, TOTAL, COUNTRY));
    }

    private void drainCases(Map<String, Set<String>> received, List<Map<String, ?>> rawAttributes) {
        for (var queue : List.of(SHIPPING_ORDERS, ANALYTICS_ORDERS, ORDER_REVIEW)) {
            for (var message : receive(queue, 10, Duration.ZERO)) {
                var body = message.body();
                if (body.contains(run)) {
                    var caseId = body.replaceAll("(?s).*\\\\?\"case\\\\?\"\\s*:\\s*\\\\?\"([a-z-]+)\\\\?\".*", "$1");
                    received.computeIfAbsent(queue, q -> new HashSet<>()).add(caseId);
                    if (queue.equals(SHIPPING_ORDERS)) {
                        rawAttributes.add(message.messageAttributes());
                    }
                }
                delete(queue, message);
            }
        }
    }

    @Test
    @Behaviour(
            value = "SQS: a message received more than maxReceiveCount times moves to its DLQ",
            service = AwsService.SQS)
    void aMessageReceivedMoreThanMaxReceiveCountTimesMovesToItsDeadLetterQueue() {
        var body = "{\"poison\":\"" + UUID.randomUUID() + "\"}";
        sqs.sendMessage(s -> s.queueUrl(url(SHIPPING_ORDERS)).messageBody(body));
        int maxReceiveCount = Topology.reference()
                .queue(SHIPPING_ORDERS)
                .redrive()
                .orElseThrow()
                .maxReceiveCount();

        var receiveCounts = new ArrayList<Integer>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            // Receive without deleting, as a consumer that keeps failing would; visibility 0 makes it visible again at
            // once.
            sqs
                    .receiveMessage(r -> r.queueUrl(url(SHIPPING_ORDERS))
                            .maxNumberOfMessages(10)
                            .visibilityTimeout(0)
                            .waitTimeSeconds(0)
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages()
                    .stream()
                    .filter(m -> m.body().equals(body))
                    .forEach(m -> receiveCounts.add(Integer.parseInt(
                            m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))));
            var dead = receive(SHIPPING_ORDERS_DLQ, 10, Duration.ZERO).stream()
                    .filter(m -> m.body().equals(body))
                    .toList();
            dead.forEach(m -> delete(SHIPPING_ORDERS_DLQ, m));
            assertThat(dead).hasSize(1);
        });
        assertThat(receiveCounts).hasSize(maxReceiveCount).last().isEqualTo(maxReceiveCount);
    }

    @Test
    @Behaviour(
            value = "SNS FIFO to SQS FIFO: in order per message group, duplicates dropped by deduplication id",
            service = AwsService.SNS)
    void theFifoTopicFansOutInOrderPerGroupAndDropsDuplicates() {
        var order = "order-" + UUID.randomUUID();
        var topicArn = env.topology().topicArn(Topology.SHIPMENT_EVENTS);
        for (var step : List.of("1-dispatched", "2-in-transit", "2-in-transit", "3-delivered")) {
            sns.publish(p -> p.topicArn(topicArn)
                    .message("{\"order\":\"" + order + "\",\"step\":\"" + step + "\"}")
                    .messageGroupId(order)
                    .messageDeduplicationId(order + step));
        }
        for (var queue : List.of(SHIPMENT_UPDATES, ANALYTICS_SHIPMENTS)) {
            var steps = new ArrayList<String>();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (var m : receive(queue, 10, Duration.ZERO)) {
                    if (m.body().contains(order)) {
                        steps.add(m.body().replaceAll(".*\"step\":\"([^\"]+)\".*", "$1"));
                    }
                    delete(queue, m);
                }
                assertThat(steps).containsExactly("1-dispatched", "2-in-transit", "3-delivered");
            });
        }
    }

    @Test
    @Behaviour(
            value = "SNS filter policy operators: `prefix`, `anything-but`, `exists: false` (attribute scope)",
            service = AwsService.SNS)
    void filterPolicyOperatorsMatchAsAwsDocumentsThem() {
        var topicArn = sns.createTopic(t -> t.name("operators-" + run)).topicArn();
        var url = sqs.createQueue(r -> r.queueName("operators-" + run)).queueUrl();
        try {
            var queueArn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            sns.subscribe(r -> r.topicArn(topicArn)
                    .protocol("sqs")
                    .endpoint(queueArn)
                    .attributes(Map.of(
                            "RawMessageDelivery",
                            "true",
                            "FilterPolicy",
                            "{\"country\":[{\"prefix\":\"D\"}],\"eventType\":[{\"anything-but\":[\"OrderCancelled\"]}],"
                                    + "\"coupon\":[{\"exists\":false}]}")));
            var cases = Map.of(
                    "match", Map.of("country", "DE", "eventType", "OrderPlaced"),
                    "wrong-prefix", Map.of("country", "FR", "eventType", "OrderPlaced"),
                    "excluded-value", Map.of("country", "DK", "eventType", "OrderCancelled"),
                    "has-coupon", Map.of("country", "DE", "eventType", "OrderPlaced", "coupon", "X"));
            cases.forEach((name, attributes) -> sns.publish(p -> p.topicArn(topicArn)
                    .message(name)
                    .messageAttributes(attributes.entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> string(e.getValue()))))));
            var received = new ArrayList<String>();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                        .messages()
                        .forEach(m -> received.add(m.body()));
                assertThat(received).containsExactly("match");
            });
        } finally {
            sns.deleteTopic(t -> t.topicArn(topicArn));
            sqs.deleteQueue(r -> r.queueUrl(url));
        }
    }

    @Test
    @Behaviour(value = "Kinesis: the stream has its shards and accepts PutRecords", service = AwsService.KINESIS)
    void theClickstreamHasItsShardsAndAcceptsPutRecords() {
        var stream = Topology.CLICKSTREAM;
        var shards = kinesis.listShards(r -> r.streamName(stream)).shards();
        assertThat(shards).hasSize(Topology.reference().streams().getFirst().localShardCount());

        var marker = UUID.randomUUID().toString();
        var entries = new ArrayList<PutRecordsRequestEntry>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            entries.add(PutRecordsRequestEntry.builder()
                    .partitionKey("session-" + (n % 17))
                    .data(SdkBytes.fromUtf8String(marker + ":" + n))
                    .build());
        }
        var response = kinesis.putRecords(r -> r.streamName(stream).records(entries));
        assertThat(response.failedRecordCount()).isZero();
        assertThat(response.records())
                .allSatisfy(r -> assertThat(r.sequenceNumber()).isNotBlank());

        var read = new HashSet<String>();
        for (var shard : shards) {
            var iterator = kinesis.getShardIterator(r -> r.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            var records = kinesis.getRecords(r -> r.shardIterator(iterator).limit(10_000))
                    .records();
            records.stream()
                    .map(r -> r.data().asUtf8String())
                    .filter(s -> s.startsWith(marker))
                    .forEach(read::add);
        }
        assertThat(read).hasSize(100);
    }

    @Test
    @Behaviour(value = "Kinesis: a split shard ends with ChildShards (KCL 3 needs them)", service = AwsService.KINESIS)
    void aSplitShardEndsWithItsChildShardsAsTheKclRequires() {
        var stream = "contract-split-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(r -> r.streamName(stream).shardCount(1));
        kinesis.waiter().waitUntilStreamExists(r -> r.streamName(stream));
        var parent = kinesis.listShards(r -> r.streamName(stream)).shards().getFirst();
        kinesis.putRecord(
                r -> r.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("before the split")));
        var middle = new BigInteger(parent.hashKeyRange().endingHashKey()).shiftRight(1);
        kinesis.splitShard(
                r -> r.streamName(stream).shardToSplit(parent.shardId()).newStartingHashKey(middle.toString()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))
                        .streamDescriptionSummary()
                        .streamStatusAsString()
                        .equals("ACTIVE"));

        var iterator = new String[] {
            kinesis.getShardIterator(r -> r.streamName(stream)
                            .shardId(parent.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator()
        };
        var records = new ArrayList<String>();
        var childShards = new ArrayList<String>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var response = kinesis.getRecords(r -> r.shardIterator(iterator[0]));
            response.records().forEach(rec -> records.add(rec.data().asUtf8String()));
            response.childShards().forEach(c -> childShards.add(c.shardId() + "<" + c.parentShards()));
            iterator[0] = response.nextShardIterator();
            return iterator[0] == null;
        });
        // A closed shard's last GetRecords names its children (and their parents), as AWS does since 2020.
        assertThat(records).containsExactly("before the split");
        assertThat(childShards).hasSize(2).allSatisfy(c -> assertThat(c).endsWith("<[" + parent.shardId() + "]"));
        kinesis.deleteStream(r -> r.streamName(stream));
    }

    @Test
    @Behaviour(value = "DynamoDB: create a table, put, get, delete", service = AwsService.DYNAMODB)
    void aDynamoDbTableCanBeCreatedAndUsed() {
        var table = "contract-" + UUID.randomUUID();
        dynamo.createTable(t -> t.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("leaseKey")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(KeySchemaElement.builder()
                        .attributeName("leaseKey")
                        .keyType(KeyType.HASH)
                        .build()));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        dynamo.putItem(
                p -> p.tableName(table).item(Map.of("leaseKey", s("shardId-000000000000"), "checkpoint", s("42"))));
        var item = dynamo.getItem(g -> g.tableName(table)
                        .key(Map.of("leaseKey", s("shardId-000000000000")))
                        .consistentRead(true))
                .item();
        assertThat(item).containsEntry("checkpoint", s("42"));
        dynamo.deleteTable(d -> d.tableName(table));
    }

    /**
     * What the KCL 3 does to its lease table: adds a global secondary index with UpdateTable on a pay-per-request
     * table, without throughput, after it has already written leases; the index must hold those leases too.
     */
    @Test
    @Behaviour(
            value = "DynamoDB: an index added to a pay-per-request table holds earlier items (KCL 3 lease table)",
            service = AwsService.DYNAMODB)
    void anIndexAddedToAPayPerRequestTableHoldsTheItemsWrittenBefore() {
        var table = "contract-" + UUID.randomUUID();
        dynamo.createTable(t -> t.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("leaseKey")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(KeySchemaElement.builder()
                        .attributeName("leaseKey")
                        .keyType(KeyType.HASH)
                        .build()));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        dynamo.putItem(p -> p.tableName(table).item(Map.of("leaseKey", s("shardId-0"), "leaseOwner", s("worker-a"))));
        dynamo.putItem(p -> p.tableName(table).item(Map.of("leaseKey", s("shardId-1"))));

        dynamo.updateTable(u -> u.tableName(table)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("leaseOwner")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
                        .create(c -> c.indexName("LeaseOwnerToLeaseKeyIndex")
                                .keySchema(
                                        KeySchemaElement.builder()
                                                .attributeName("leaseOwner")
                                                .keyType(KeyType.HASH)
                                                .build(),
                                        KeySchemaElement.builder()
                                                .attributeName("leaseKey")
                                                .keyType(KeyType.RANGE)
                                                .build())
                                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                        .build()));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> dynamo.describeTable(d -> d.tableName(table)).table().globalSecondaryIndexes().stream()
                        .anyMatch(i -> i.indexStatus() == IndexStatus.ACTIVE));
        dynamo.putItem(p -> p.tableName(table).item(Map.of("leaseKey", s("shardId-2"), "leaseOwner", s("worker-a"))));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(dynamo.query(q -> q.tableName(table)
                                        .indexName("LeaseOwnerToLeaseKeyIndex")
                                        .keyConditionExpression("leaseOwner = :owner")
                                        .expressionAttributeValues(Map.of(":owner", s("worker-a"))))
                                .items())
                        .extracting(item -> item.get("leaseKey").s())
                        .containsExactly("shardId-0", "shardId-2"));
        dynamo.deleteTable(d -> d.tableName(table));
    }

    @Test
    @Behaviour(
            value = "SQS queue attribute DelaySeconds is provisioned from the topology (the delay queue)",
            service = AwsService.SQS)
    void theDeliveryQueueHasTheTopologysDelay() {
        var queue = Topology.SHIPMENT_DELIVERIES;
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url(queue)).attributeNames(QueueAttributeName.DELAY_SECONDS))
                        .attributes()
                        .get(QueueAttributeName.DELAY_SECONDS))
                .isEqualTo(Long.toString(
                        Topology.reference().queue(queue).deliveryDelay().toSeconds()));
    }

    @Test
    @Behaviour(
            value = "Provisioning the topology again changes nothing (attributes read back as written)",
            service = AwsService.SQS)
    void provisioningTheReferenceTopologyAgainChangesNothing() {
        var report = new TopologyProvisioner(sqs, sns, kinesis).provision(Topology.reference());
        assertThat(report.effectiveChanges()).isEmpty();
        assertThat(report.changedNothing()).isTrue();
        assertThat(report.resources()).isEqualTo(env.topology());
    }

    @Test
    @Behaviour(value = "SNS subscription RedrivePolicy (subscription DLQ) is stored", service = AwsService.SNS)
    void everySubscriptionNamesItsOwnDeadLetterQueueInItsRedrivePolicy() {
        // Provisioned everywhere; whether SNS redrives undeliverable messages is the endpoint's (fauxqs only stores
        // it).
        for (var spec : Topology.reference().subscriptions()) {
            var topicArn = env.topology().topicArn(spec.topic());
            var queueArn = env.topology().queueArn(spec.queue());
            var subscription = sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(topicArn)).subscriptions().stream()
                    .filter(s -> queueArn.equals(s.endpoint()))
                    .findFirst()
                    .orElseThrow();
            var redrivePolicy = sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscription.subscriptionArn()))
                    .attributes()
                    .get("RedrivePolicy");
            assertThat(redrivePolicy)
                    .as(spec.topic() + " -> " + spec.queue())
                    .contains(env.topology().queueArn(spec.deadLetterQueue().orElseThrow()));
        }
    }

    private String url(String queue) {
        return env.topology().queueUrl(queue);
    }

    private List<Message> receive(String queue, int max, Duration wait) {
        return sqs.receiveMessage(r -> r.queueUrl(url(queue))
                        .maxNumberOfMessages(max)
                        .waitTimeSeconds((int) wait.toSeconds())
                        .messageAttributeNames("All"))
                .messages();
    }

    private void delete(String queue, Message message) {
        sqs.deleteMessage(d -> d.queueUrl(url(queue)).receiptHandle(message.receiptHandle()));
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
