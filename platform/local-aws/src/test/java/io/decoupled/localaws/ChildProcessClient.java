package io.decoupled.localaws;

import io.decoupled.topology.Topology;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Run by {@link ChildProcessEnvironmentIT} in a JVM of its own, as a service would run: SDK clients built
 * with no configuration at all, so that only the environment variables from {@link AwsEnvironment#environment()}
 * can point them at the emulators and make them speak a protocol the emulators understand.
 */
public final class ChildProcessClient {
    public static void main(String[] args) {
        try (var sqs = SqsClient.create();
                var kinesis = KinesisClient.create()) {
            var queues = sqs.listQueues().queueUrls();
            if (queues.stream().noneMatch(url -> url.endsWith("/" + Topology.SHIPPING_ORDERS))) {
                throw new IllegalStateException("shipping-orders not listed: " + queues);
            }
            var marker = UUID.randomUUID().toString();
            var put = kinesis.putRecord(
                    r -> r.streamName(Topology.CLICKSTREAM).partitionKey(marker).data(SdkBytes.fromUtf8String(marker)));
            var iterator = kinesis.getShardIterator(r -> r.streamName(Topology.CLICKSTREAM)
                            .shardId(put.shardId())
                            .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                            .startingSequenceNumber(put.sequenceNumber()))
                    .shardIterator();
            var read =
                    kinesis.getRecords(r -> r.shardIterator(iterator).limit(1)).records();
            if (read.isEmpty() || !read.getFirst().data().asUtf8String().equals(marker)) {
                throw new IllegalStateException("the record written was not read back: " + read);
            }
            System.out.println("ROUND TRIP OK");
        }
    }
}
