package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pool never lets a poller wait for a worker that cannot come. */
class WorkerPoolTest {

    @Test
    void aFreeWorkerIsTakenAtOnce() throws Exception {
        var pool = new WorkerPool(2);
        assertThat(pool.acquire(Duration.ZERO)).isTrue();
        assertThat(pool.busy()).isOne();
    }

    @Test
    void resizingToZeroWakesAPollerWaitingForAWorkerWithNone() throws Exception {
        var pool = new WorkerPool(1);
        assertThat(pool.acquire(Duration.ZERO)).isTrue();
        var waiting = CompletableFuture.supplyAsync(() -> acquire(pool, Duration.ofMinutes(10)));

        pool.resize(0);

        assertThat(waiting.get(30, TimeUnit.SECONDS)).as("gave up without a worker").isFalse();
        assertThat(pool.busy()).isOne();
    }

    @Test
    void aPoolOfZeroNeverHandsOutAWorker() throws Exception {
        assertThat(new WorkerPool(0).acquire(Duration.ofMinutes(10))).isFalse();
    }

    @Test
    void aWaitForABusyPoolEndsWhenItsTimeRunsOut() throws Exception {
        var pool = new WorkerPool(1);
        assertThat(pool.acquire(Duration.ZERO)).isTrue();
        assertThat(pool.acquire(Duration.ofMillis(20))).isFalse();
        assertThat(pool.busy()).isOne();
    }

    @Test
    void aWorkerReleasedWhileAPollerWaitsIsHandedToIt() throws Exception {
        var pool = new WorkerPool(1);
        assertThat(pool.acquire(Duration.ZERO)).isTrue();
        var waiting = CompletableFuture.supplyAsync(() -> acquire(pool, Duration.ofMinutes(10)));

        pool.release();

        assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.busy()).isOne();
    }

    private static boolean acquire(WorkerPool pool, Duration maxWait) {
        try {
            return pool.acquire(maxWait);
        } catch (InterruptedException e) {
            throw new CompletionException(e);
        }
    }
}
