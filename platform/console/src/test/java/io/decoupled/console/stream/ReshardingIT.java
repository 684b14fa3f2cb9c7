package io.decoupled.console.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.console.Emulators;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The "split a shard" switch and its reversal on kinesalite, on a stream of its own so no other test sees the change. */
class ReshardingIT {
    static KinesisClient kinesis;

    @BeforeAll
    static void emulators() {
        Emulators.shared();
        kinesis = KinesisClient.create();
    }

    @AfterAll
    static void close() {
        kinesis.close();
    }

    @Test
    void aSplitAddsTwoOpenChildrenAndTheMergeLeavesOneOpenShardAgain() {
        String stream = "reshard-it-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(r -> r.streamName(stream).shardCount(1));
        awaitActive(stream);
        var resharding = new Resharding(
                kinesis, new StreamProperties(stream, "", Duration.ofSeconds(1), Duration.ofSeconds(10), 2, 1000));

        assertThat(resharding.split()).contains("split", stream);
        awaitActive(stream);
        assertThat(openShards(stream)).isEqualTo(2);
        assertThat(ClickstreamMonitor.listShards(kinesis, stream))
                .hasSize(3)
                .filteredOn(s -> s.parentShardId() != null)
                .hasSize(2);

        assertThat(resharding.merge()).contains("merged");
        awaitActive(stream);
        assertThat(openShards(stream)).isEqualTo(1);
        assertThat(ClickstreamMonitor.listShards(kinesis, stream)).hasSize(4);
    }

    private static long openShards(String stream) {
        return ClickstreamMonitor.listShards(kinesis, stream).stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
                .count();
    }

    private static void awaitActive(String stream) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))
                                .streamDescriptionSummary()
                                .streamStatus()
                        == StreamStatus.ACTIVE);
    }
}
