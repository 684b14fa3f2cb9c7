package io.decoupled.infra.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptableBacklogPerTaskTest {

    @ParameterizedTest(name = "{0} latency, {1} per message, {2} workers -> {3} messages per task")
    @CsvSource({
        // the AWS guide's example: 10 s acceptable, 0.1 s per message, one worker
        "PT10S,   PT0.1S,  1, 100",
        // the default deployment: four workers per task share the backlog
        "PT10S,   PT0.1S,  4, 400",
        // rounded down, so that the latency goal still holds
        "PT1S,    PT0.3S,  1, 3",
        "PT1S,    PT0.3S,  2, 6",
        // slow work: a task may have only one message waiting per worker
        "PT2S,    PT2S,    4, 4",
        "PT0.5S,  PT0.5S,  1, 1"
    })
    void targetIsAcceptableLatencyOverProcessingTimeTimesWorkers(
            Duration latency, Duration processing, int workers, int expected) {
        assertThat(new AcceptableBacklogPerTask(latency, processing, workers).messages())
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "PT1S,  PT2S,  1, shorter than one message's processing time",
        "PT1S,  PT0S,  1, averageProcessingTime must be positive",
        "PT10S, PT1S,  0, workersPerTask must be at least 1"
    })
    void targetsNoPolicyCouldMeetAreRejected(Duration latency, Duration processing, int workers, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AcceptableBacklogPerTask(latency, processing, workers))
                .withMessageContaining(message);
    }
}
