package io.decoupled.shipping.autoscaling;

import static io.decoupled.shipping.autoscaling.ScalingDecision.Reason.HOLD_STABILIZING;
import static io.decoupled.shipping.autoscaling.ScalingDecision.Reason.SCALE_FROM_ZERO;
import static io.decoupled.shipping.autoscaling.ScalingDecision.Reason.SCALE_IN;
import static io.decoupled.shipping.autoscaling.ScalingDecision.Reason.SCALE_OUT;
import static io.decoupled.shipping.autoscaling.ScalingDecision.Reason.STEADY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The backlog-per-worker policy on its own: tables of samples and the decisions they must produce. */
class ScalingPolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(60);

    /** min 1, max 20, 10 s acceptable latency, 200 ms fallback: 50 messages per worker until measured. */
    private static ScalingPolicy policy(int min) {
        return new ScalingPolicy(min, 20, Duration.ofSeconds(10), Duration.ofMillis(200), WINDOW);
    }

    record Step(
            int second,
            long visible,
            int busy,
            Integer averageMillis,
            int expectedWorkers,
            ScalingDecision.Reason expectedReason) {}

    static Step step(
            int second, long visible, int busy, Integer averageMillis, int expected, ScalingDecision.Reason reason) {
        return new Step(second, visible, busy, averageMillis, expected, reason);
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of(
                        "a burst scales out at once",
                        1,
                        1,
                        List.of(step(0, 0, 0, null, 1, STEADY), step(10, 1000, 1, 200, 20, SCALE_OUT))),
                Arguments.of(
                        "the backlog divides by the acceptable backlog per worker",
                        1,
                        1,
                        List.of(step(0, 260, 1, 200, 6, SCALE_OUT))),
                Arguments.of("max clamps a huge backlog", 1, 1, List.of(step(0, 1_000_000, 1, 200, 20, SCALE_OUT))),
                Arguments.of(
                        "min holds with an empty queue",
                        2,
                        2,
                        List.of(step(0, 0, 0, 200, 2, STEADY), step(120, 0, 0, 200, 2, STEADY))),
                Arguments.of(
                        "the first message scales from zero",
                        0,
                        0,
                        List.of(step(0, 0, 0, null, 0, STEADY), step(10, 1, 0, null, 1, SCALE_FROM_ZERO))),
                Arguments.of(
                        "scale-in waits for the stabilization window",
                        1,
                        1,
                        List.of(
                                step(0, 1000, 1, 200, 20, SCALE_OUT),
                                step(10, 0, 0, 200, 20, HOLD_STABILIZING),
                                step(59, 0, 0, 200, 20, HOLD_STABILIZING),
                                step(61, 0, 0, 200, 1, SCALE_IN))),
                Arguments.of(
                        "scale-in goes to the highest recommendation of the window",
                        1,
                        1,
                        List.of(
                                step(0, 1000, 1, 200, 20, SCALE_OUT),
                                step(30, 250, 20, 200, 20, STEADY),
                                step(40, 0, 4, 200, 20, HOLD_STABILIZING),
                                step(61, 0, 4, 200, 20, HOLD_STABILIZING),
                                step(91, 0, 4, 200, 4, SCALE_IN))),
                Arguments.of(
                        "busy workers are never scaled away",
                        1,
                        1,
                        List.of(
                                step(0, 1000, 1, 200, 20, SCALE_OUT),
                                step(70, 0, 20, 200, 20, STEADY),
                                step(140, 0, 12, 200, 12, SCALE_IN))),
                Arguments.of(
                        "a measured slow handler raises the worker count",
                        1,
                        1,
                        List.of(step(0, 100, 1, 1000, 10, SCALE_OUT))),
                Arguments.of("a measured fast handler lowers it", 1, 1, List.of(step(0, 100, 1, 100, 1, STEADY))),
                Arguments.of(
                        "a handler slower than the acceptable latency gets a worker per message",
                        1,
                        1,
                        List.of(step(0, 5, 1, 20_000, 5, SCALE_OUT))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void decidesAsTheTableSays(String name, int min, int startWorkers, List<Step> steps) {
        var policy = policy(min);
        int current = startWorkers;
        for (var step : steps) {
            var sample = new ScalingSample(
                    T0.plusSeconds(step.second()),
                    step.visible(),
                    current,
                    step.busy(),
                    Optional.ofNullable(step.averageMillis()).map(Duration::ofMillis));
            var decision = policy.decide(sample);
            assertThat(decision.desiredWorkers())
                    .as("%s at %d s", name, step.second())
                    .isEqualTo(step.expectedWorkers());
            assertThat(decision.reason()).as("%s at %d s", name, step.second()).isEqualTo(step.expectedReason());
            current = decision.desiredWorkers();
        }
    }

    @Test
    void steadyLoadDoesNotFlap() {
        var policy = policy(1);
        int current = 8;
        var sizes = new ArrayList<Integer>();
        // Ten minutes of a steady arrival rate: the visible count swings between empty and a small backlog
        // as batches arrive and are taken, six workers stay busy.
        for (int second = 0; second <= 600; second += 10) {
            long visible = (second / 10) % 2 == 0 ? 0 : 280;
            var decision = policy.decide(new ScalingSample(
                    T0.plusSeconds(second), visible, current, 6, Optional.of(Duration.ofMillis(200))));
            current = decision.desiredWorkers();
            sizes.add(current);
        }
        assertThat(changes(sizes)).as("pool sizes %s", sizes).isLessThanOrEqualTo(1);
        assertThat(sizes.getLast()).isEqualTo(6);
    }

    @Test
    void noisyMeasurementsNeverShrinkThePoolWithinTheWindow() {
        var policy = policy(1);
        var random = new Random(42);
        int current = 1;
        var sizes = new ArrayList<Integer>();
        for (int second = 0; second < 60; second += 5) {
            long visible = 500 + random.nextInt(201) - 100; // 500 +- 20 %
            int averageMillis = 150 + random.nextInt(101); // 150..250 ms
            var decision = policy.decide(new ScalingSample(
                    T0.plusSeconds(second),
                    visible,
                    current,
                    Math.min(current, 8),
                    Optional.of(Duration.ofMillis(averageMillis))));
            current = decision.desiredWorkers();
            sizes.add(current);
        }
        for (int i = 1; i < sizes.size(); i++) {
            assertThat(sizes.get(i)).as("pool sizes %s", sizes).isGreaterThanOrEqualTo(sizes.get(i - 1));
        }
        assertThat(sizes.getLast()).isBetween(8, 14);
    }

    @Test
    void rejectsContradictoryBounds() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ScalingPolicy(5, 4, Duration.ofSeconds(1), Duration.ofMillis(1), WINDOW));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ScalingPolicy(0, 0, Duration.ofSeconds(1), Duration.ofMillis(1), WINDOW));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ScalingPolicy(1, 4, Duration.ZERO, Duration.ofMillis(1), WINDOW));
    }

    private static int changes(List<Integer> sizes) {
        int changes = 0;
        for (int i = 1; i < sizes.size(); i++) {
            if (!sizes.get(i).equals(sizes.get(i - 1))) {
                changes++;
            }
        }
        return changes;
    }
}
