package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

class RetryBackoffTest {
    private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(60));

    @RepeatedTest(20)
    void delayDoublesPerReceiveWithinEqualJitterAndStaysUnderTheCap() {
        assertThat(backoff.delaySeconds(1)).isBetween(1, 2);
        assertThat(backoff.delaySeconds(2)).isBetween(2, 4);
        assertThat(backoff.delaySeconds(3)).isBetween(4, 8);
        assertThat(backoff.delaySeconds(5)).isBetween(16, 32);
        assertThat(backoff.delaySeconds(10)).isBetween(30, 60);
        assertThat(backoff.delaySeconds(1000)).isBetween(30, 60);
    }
}
