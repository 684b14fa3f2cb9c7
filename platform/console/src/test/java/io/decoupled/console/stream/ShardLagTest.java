package io.decoupled.console.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShardLagTest {

    @Test
    void lagIsTheRecordsAfterTheCheckpoint() {
        var lag = new ShardLag(100);
        for (long seq = 100; seq < 110; seq++) {
            lag.seen(Long.toString(seq));
        }
        assertThat(lag.applyCheckpoint("104")).isEqualTo(5);
        assertThat(lag.applyCheckpoint("109")).isZero();
    }

    @Test
    void withoutALeaseOrAtTheTrimHorizonEverythingSeenIsLag() {
        var lag = new ShardLag(100);
        lag.seen("49590338271490256608559692538361571095921575989136588898");
        lag.seen("49590338271490256608559692540925702759324208523137515618");
        assertThat(lag.applyCheckpoint(null)).isEqualTo(2);
        assertThat(lag.applyCheckpoint("TRIM_HORIZON")).isEqualTo(2);
    }

    @Test
    void sequenceNumbersCompareAsNumbersNotAsText() {
        var lag = new ShardLag(100);
        lag.seen("9");
        lag.seen("10");
        lag.seen("11");
        // As text "10" < "9"; as numbers the checkpoint at 10 leaves only 11.
        assertThat(lag.applyCheckpoint("10")).isEqualTo(1);
    }

    @Test
    void aFinishedShardHasNoLagAndIgnoresLaterRecords() {
        var lag = new ShardLag(100);
        lag.seen("1");
        assertThat(lag.applyCheckpoint("SHARD_END")).isZero();
        lag.seen("2");
        assertThat(lag.applyCheckpoint("SHARD_END")).isZero();
    }

    @Test
    void latestOrAnUnknownCheckpointGivesNoNumberRatherThanAWrongOne() {
        var lag = new ShardLag(100);
        lag.seen("1");
        assertThat(lag.applyCheckpoint("LATEST")).isNull();
        assertThat(lag.applyCheckpoint("AT_TIMESTAMP")).isNull();
    }

    @Test
    void beyondItsCapacityTheLagIsALowerBound() {
        var lag = new ShardLag(3);
        for (int seq = 1; seq <= 5; seq++) {
            lag.seen(Integer.toString(seq));
        }
        assertThat(lag.applyCheckpoint(null)).isEqualTo(3);
        assertThat(lag.overflowed()).isTrue();
    }
}
