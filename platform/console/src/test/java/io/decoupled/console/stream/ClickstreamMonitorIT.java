package io.decoupled.console.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.console.Emulators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The stream panel against kinesalite and dynalite: a stream of its own (so other tests' records do not
 * count) and a lease table written the way the KCL writes it, with a checkpoint in the middle of a shard.
 */
class ClickstreamMonitorIT {
    static KinesisClient kinesis;
    static DynamoDbClient dynamoDb;

    @BeforeAll
    static void emulators() {
        Emulators.shared();
        kinesis = KinesisClient.create();
        dynamoDb = DynamoDbClient.create();
    }

    @Test
    void ingestPerShardAndTheConsumersLagBehindItsCheckpoint() {
        String stream = "console-it-" + UUID.randomUUID().toString().substring(0, 8);
        String leaseTable = stream + "-leases";
        kinesis.createStream(r -> r.streamName(stream).shardCount(2));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))
                                .streamDescriptionSummary()
                                .streamStatus()
                        == StreamStatus.ACTIVE);

        var entries = new ArrayList<PutRecordsRequestEntry>();
        for (int i = 0; i < 40; i++) {
            entries.add(PutRecordsRequestEntry.builder()
                    .partitionKey("session-" + i)
                    .data(SdkBytes.fromUtf8String("{\"n\":" + i + "}"))
                    .build());
        }
        var put = kinesis.putRecords(r -> r.streamName(stream).records(entries));
        assertThat(put.failedRecordCount()).isZero();
        Map<String, List<String>> sequencesByShard = new HashMap<>();
        put.records()
                .forEach(r -> sequencesByShard
                        .computeIfAbsent(r.shardId(), s -> new ArrayList<>())
                        .add(r.sequenceNumber()));
        assertThat(sequencesByShard).hasSize(2);

        // A checkpoint after the third record of the first shard; no lease at all for the second.
        var shards = sequencesByShard.keySet().stream().sorted().toList();
        String checkpointed = shards.getFirst();
        String unleased = shards.getLast();
        createLeaseTable(leaseTable);
        dynamoDb.putItem(r -> r.tableName(leaseTable)
                .item(Map.of(
                        "leaseKey", AttributeValue.fromS(checkpointed),
                        "leaseOwner", AttributeValue.fromS("analytics-worker-1"),
                        "checkpoint",
                                AttributeValue.fromS(
                                        sequencesByShard.get(checkpointed).get(2)))));

        var monitor = new ClickstreamMonitor(
                kinesis,
                dynamoDb,
                new StreamProperties(stream, leaseTable, Duration.ofSeconds(1), Duration.ofMinutes(5), 2, 1000));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            monitor.poll();
            assertThat(monitor.read().available()).isTrue();
            assertThat(monitor.read().data().recordsSeen()).isEqualTo(40);
        });

        var view = monitor.read().data();
        assertThat(view.leaseTable()).isEqualTo(leaseTable);
        assertThat(view.recordsPerSecond()).isPositive();
        var first = shard(view, checkpointed);
        assertThat(first.recordsSeen())
                .isEqualTo(sequencesByShard.get(checkpointed).size());
        assertThat(first.lag()).isEqualTo(sequencesByShard.get(checkpointed).size() - 3L);
        assertThat(first.leaseOwner()).isEqualTo("analytics-worker-1");
        assertThat(shard(view, unleased).lag())
                .isEqualTo(sequencesByShard.get(unleased).size());

        // The consumer catches up: the lag follows its checkpoint.
        var last = sequencesByShard.get(checkpointed).getLast();
        dynamoDb.updateItem(r -> r.tableName(leaseTable)
                .key(Map.of("leaseKey", AttributeValue.fromS(checkpointed)))
                .updateExpression("SET #c = :c")
                .expressionAttributeNames(Map.of("#c", "checkpoint"))
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(last))));
        monitor.poll();
        assertThat(shard(monitor.read().data(), checkpointed).lag()).isZero();

        // Without a configured name, the lease table is found by its KCL key schema.
        var discovering = new ClickstreamMonitor(
                kinesis,
                dynamoDb,
                new StreamProperties(stream, "", Duration.ofSeconds(1), Duration.ofMinutes(5), 2, 1000));
        discovering.poll();
        assertThat(discovering.read().data().leaseTable()).isEqualTo(leaseTable);
    }

    @Test
    void aStreamThatDoesNotExistIsExplainedNotThrown() {
        var monitor = new ClickstreamMonitor(
                kinesis,
                dynamoDb,
                new StreamProperties("no-such-stream", "", Duration.ofSeconds(1), Duration.ofSeconds(10), 2, 1000));
        monitor.poll();

        assertThat(monitor.read().available()).isFalse();
        assertThat(monitor.read().reason()).contains("no-such-stream does not exist");
    }

    private static StreamView.Shard shard(StreamView view, String shardId) {
        return view.shards().stream()
                .filter(s -> s.shardId().equals(shardId))
                .findFirst()
                .orElseThrow();
    }

    private static void createLeaseTable(String name) {
        dynamoDb.createTable(r -> r.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(d -> d.attributeName("leaseKey").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> dynamoDb.describeTable(r -> r.tableName(name))
                        .table()
                        .tableStatusAsString()
                        .equals("ACTIVE"));
    }
}
