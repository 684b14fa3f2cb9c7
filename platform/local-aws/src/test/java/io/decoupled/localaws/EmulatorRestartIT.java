package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * An emulator taken down refuses connections, and comes back on the same port with the data it had: what a test
 * needs to stage "the AWS endpoint was unreachable for a while" without staging a loss AWS would never cause.
 */
class EmulatorRestartIT {

    static {
        System.setProperty("aws.cborEnabled", "false");
    }

    @Test
    void kinesaliteKilledAndRestartedKeepsItsStreamsAndRecords() {
        try (var aws = LocalAws.builder()
                .services(AwsService.KINESIS)
                .withoutTopology()
                .persistent()
                .start()) {
            var endpoint = aws.requireEndpoint(AwsService.KINESIS);
            try (var kinesis = aws.kinesis()) {
                kinesis.createStream(r -> r.streamName("restart").shardCount(1));
                for (int i = 0; i < 3; i++) {
                    var data = SdkBytes.fromUtf8String("before-" + i);
                    kinesis.putRecord(
                            r -> r.streamName("restart").partitionKey("k").data(data));
                }
            }
            aws.takeDown(AwsService.KINESIS);
            assertThat(accepts(endpoint)).isFalse();
            assertThat(aws.isRunning()).isFalse();

            aws.bringBack(AwsService.KINESIS);
            assertThat(aws.requireEndpoint(AwsService.KINESIS)).isEqualTo(endpoint);
            try (var kinesis = aws.kinesis()) {
                kinesis.putRecord(
                        r -> r.streamName("restart").partitionKey("k").data(SdkBytes.fromUtf8String("after")));
                var shard = kinesis.listShards(r -> r.streamName("restart"))
                        .shards()
                        .getFirst()
                        .shardId();
                var iterator = kinesis.getShardIterator(r -> r.streamName("restart")
                                .shardId(shard)
                                .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                        .shardIterator();
                var records = kinesis.getRecords(r -> r.shardIterator(iterator)).records();
                assertThat(records)
                        .extracting(r -> r.data().asUtf8String())
                        .containsExactly("before-0", "before-1", "before-2", "after");
                // Sequence numbers keep increasing across the restart: a consumer's checkpoint still means the same
                // place.
                assertThat(records)
                        .extracting(r -> r.sequenceNumber())
                        .isSortedAccordingTo((a, b) ->
                                a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b))
                        .doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void dynaliteKilledAndRestartedKeepsItsTablesAndItems() {
        try (var aws = LocalAws.builder()
                .services(AwsService.DYNAMODB)
                .withoutTopology()
                .persistent()
                .start()) {
            var endpoint = aws.requireEndpoint(AwsService.DYNAMODB);
            try (var dynamo = aws.dynamoDb()) {
                dynamo.createTable(r -> r.tableName("leases")
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH)));
                // CreateTable answers while the table is still CREATING, as in AWS; write once it is ACTIVE.
                dynamo.waiter().waitUntilTableExists(r -> r.tableName("leases"));
                dynamo.putItem(r -> r.tableName("leases")
                        .item(Map.of(
                                "leaseKey",
                                AttributeValue.fromS("shard-0"),
                                "checkpoint",
                                AttributeValue.fromS("42"))));
            }
            aws.takeDown(AwsService.DYNAMODB);
            assertThat(accepts(endpoint)).isFalse();

            aws.bringBack(AwsService.DYNAMODB);
            assertThat(aws.requireEndpoint(AwsService.DYNAMODB)).isEqualTo(endpoint);
            try (var dynamo = aws.dynamoDb()) {
                var item = dynamo.getItem(
                                r -> r.tableName("leases").key(Map.of("leaseKey", AttributeValue.fromS("shard-0"))))
                        .item();
                assertThat(item).containsEntry("checkpoint", AttributeValue.fromS("42"));
            }
        }
    }

    @Test
    void fauxqsTakenDownRefusesConnectionsAndComesBackWithItsMessages() {
        try (var aws =
                LocalAws.builder().services(AwsService.SQS).withoutTopology().start()) {
            var endpoint = aws.requireEndpoint(AwsService.SQS);
            String url;
            try (var sqs = aws.sqs()) {
                url = sqs.createQueue(r -> r.queueName("restart")).queueUrl();
                sqs.sendMessage(r -> r.queueUrl(url).messageBody("kept"));
            }
            aws.takeDown(AwsService.SNS);
            assertThat(accepts(endpoint)).isFalse();
            // The process stays up (its state lives in memory), so the environment still counts as running.
            assertThat(aws.isRunning()).isTrue();

            aws.bringBack(AwsService.SQS);
            try (var sqs = aws.sqs()) {
                var messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1))
                        .messages();
                assertThat(messages).extracting(m -> m.body()).containsExactly("kept");
            }
        }
    }

    @Test
    void anEmulatorWithItsDataOnlyInMemoryIsNotKilled() {
        try (var aws = LocalAws.builder()
                .services(AwsService.KINESIS)
                .withoutTopology()
                .start()) {
            assertThatThrownBy(() -> aws.takeDown(AwsService.KINESIS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("persistent()");
            assertThat(accepts(aws.requireEndpoint(AwsService.KINESIS))).isTrue();
        }
    }

    private static boolean accepts(URI endpoint) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
