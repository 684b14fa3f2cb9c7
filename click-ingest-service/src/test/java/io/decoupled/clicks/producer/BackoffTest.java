package io.decoupled.clicks.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.BackoffStrategy;

class BackoffTest {
    private final Duration base = Duration.ofMillis(50);
    private final Duration max = Duration.ofSeconds(2);

    @Test
    void theCeilingDoublesPerRetryUpToTheMaximum() {
        // The same schedule without its jitter shows the ceiling the random delays are drawn below.
        var ceiling = new Backoff(BackoffStrategy.exponentialDelayWithoutJitter(base, max));
        assertThat(ceiling.delayBeforeRetry(1)).isCloseTo(Duration.ofMillis(50), Duration.ofMillis(1));
        assertThat(ceiling.delayBeforeRetry(2)).isCloseTo(Duration.ofMillis(100), Duration.ofMillis(1));
        assertThat(ceiling.delayBeforeRetry(4)).isCloseTo(Duration.ofMillis(400), Duration.ofMillis(1));
        assertThat(ceiling.delayBeforeRetry(10)).isCloseTo(max, Duration.ofMillis(1));
        assertThat(ceiling.delayBeforeRetry(200)).isCloseTo(max, Duration.ofMillis(1));
    }

    @Test
    void fullJitterSpreadsDelaysOverTheWholeRange() {
        var jittered = new Backoff(base, max);
        var delays = IntStream.range(0, 1000)
                .mapToObj(i -> jittered.delayBeforeRetry(3))
                .toList();
        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(200)));
        assertThat(delays).anySatisfy(d -> assertThat(d).isLessThan(Duration.ofMillis(50)));
        assertThat(delays).anySatisfy(d -> assertThat(d).isGreaterThan(Duration.ofMillis(150)));
    }

    @Test
    void aRetryFarBeyondAnyBudgetStillWaitsAtMostTheMaximum() {
        // The producer retries for as long as the service runs, so the retry number has no bound.
        var jittered = new Backoff(base, max);
        for (int retry : new int[] {31, 64, 10_000, Integer.MAX_VALUE - 1}) {
            assertThat(jittered.delayBeforeRetry(retry)).as("retry %d", retry).isBetween(Duration.ZERO, max);
        }
    }

    @Test
    void retriesCountFromOne() {
        assertThatThrownBy(() -> new Backoff(base, max).delayBeforeRetry(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
