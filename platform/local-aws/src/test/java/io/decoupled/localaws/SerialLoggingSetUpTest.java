package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.core.io.support.SpringFactoriesLoader;

class SerialLoggingSetUpTest {

    @Test
    void aSecondApplicationWaitsUntilTheFirstHasSetUpLoggingThenGoesOn() throws Exception {
        var first = new SerialLoggingSetUp();
        var second = new SerialLoggingSetUp();
        first.starting(null);
        var secondSetUp = CompletableFuture.runAsync(() -> {
            second.starting(null);
            second.contextPrepared(null);
        });
        try {
            assertThat(secondSetUp).failsWithin(300, TimeUnit.MILLISECONDS);
        } finally {
            first.contextPrepared(null);
        }
        secondSetUp.get(5, TimeUnit.SECONDS);
        // Told on a thread that does not hold the lock: neither throws nor releases another thread's hold.
        second.failed(null, new IllegalStateException("not the holder"));
    }

    @Test
    void aFailedStartReleasesTheLockForTheNext() throws Exception {
        var failing = new SerialLoggingSetUp();
        failing.starting(null);
        failing.failed(null, new IllegalStateException("refused"));
        CompletableFuture.runAsync(() -> {
                    var next = new SerialLoggingSetUp();
                    next.starting(null);
                    next.contextPrepared(null);
                })
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void springBootRunsItWithEveryApplication() {
        var listeners = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(
                        SpringApplicationRunListener.class,
                        SpringFactoriesLoader.ArgumentResolver.of(SpringApplication.class, new SpringApplication())
                                .and(String[].class, new String[0]));
        assertThat(listeners).hasAtLeastOneElementOfType(SerialLoggingSetUp.class);
    }
}
