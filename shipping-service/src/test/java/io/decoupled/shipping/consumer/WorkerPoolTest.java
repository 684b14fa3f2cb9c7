package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pool never holds what no worker can take, never lets a poller wait for a worker that cannot come, and scales pollers with demand. */
class WorkerPoolTest {
    private static final int BATCH = 10;
    private static final long LATER = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);

    @Test
    void aFreeWorkerTakesAReceivedMessageAtOnce() throws Exception {
        var pool = new WorkerPool<String>(2, 4);
        assertThat(pool.awaitReceive(0, BATCH, Duration.ZERO)).isTrue();

        assertThat(pool.received(List.of("a"), BATCH, LATER)).containsExactly("a");
        assertThat(pool.busy()).isOne();
        assertThat(pool.held()).isZero();
    }

    @Test
    void aPoolOfZeroNeverReceives() throws Exception {
        assertThat(new WorkerPool<String>(0, 4).awaitReceive(0, BATCH, Duration.ofMillis(50)))
                .isFalse();
    }

    @Test
    void messagesBeyondTheFreeWorkersAreHeldAndAFinishedWorkerTakesTheNextItself() throws Exception {
        var pool = new WorkerPool<String>(2, 4);
        pool.awaitReceive(0, BATCH, Duration.ZERO);

        assertThat(pool.received(List.of("a", "b", "c", "d"), BATCH, LATER)).containsExactly("a", "b");
        assertThat(pool.held()).isEqualTo(2);

        assertThat(pool.next()).isEqualTo("c");
        assertThat(pool.next()).isEqualTo("d");
        assertThat(pool.next()).isNull();
        assertThat(pool.busy()).isOne();
    }

    @Test
    void noReceiveStartsWhileHeldMessagesSpeakForEveryFreeWorker() throws Exception {
        var pool = new WorkerPool<String>(4, 4);
        pool.awaitReceive(0, BATCH, Duration.ZERO);
        pool.received(letters(10), BATCH, LATER);

        assertThat(pool.awaitReceive(0, BATCH, Duration.ofMillis(50)))
                .as("4 busy, 6 held")
                .isFalse();
        for (int i = 0; i < 6; i++) {
            assertThat(pool.next()).isNotNull();
        }
        assertThat(pool.next()).as("nothing held any more").isNull();

        assertThat(pool.awaitReceive(0, BATCH, Duration.ZERO))
                .as("one worker free, one batch may come")
                .isTrue();
    }

    @Test
    void aPollerWaitingWithoutATimeoutIsWokenByTheFinishedWorkerThatMakesRoom() throws Exception {
        var pool = new WorkerPool<String>(10, 4);
        pool.awaitReceive(0, BATCH);
        pool.received(letters(10), BATCH, LATER);
        var waiting = parked(() -> awaitReceiveUntimed(pool));

        pool.next();

        assertThat(waiting.get(30, TimeUnit.SECONDS)).as("room for a receive").isTrue();
    }

    @Test
    void aPollerWaitingWithoutATimeoutIsWokenByAPartialBatchThatLeavesRoom() throws Exception {
        var pool = new WorkerPool<String>(10, 4);
        assertThat(pool.awaitReceive(0, BATCH)).isTrue();
        // The receive in flight speaks for all ten workers.
        var waiting = parked(() -> awaitReceiveUntimed(pool));

        pool.received(letters(3), BATCH, LATER);

        assertThat(waiting.get(30, TimeUnit.SECONDS))
                .as("seven workers not spoken for")
                .isTrue();
    }

    @Test
    void aPollerWaitingWithoutATimeoutIsWokenByAFullBatchThatAllowsAnotherPoller() throws Exception {
        var pool = new WorkerPool<String>(64, 4);
        assertThat(pool.awaitReceive(0, BATCH)).isTrue();
        var second = parked(() -> awaitReceiveUntimed(pool, 1));

        pool.received(letters(10), BATCH, LATER);

        assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPollerWaitingWhileMessagesAreHeldReturnsByTheFirstDeadline() throws Exception {
        var pool = new WorkerPool<String>(1, 4);
        pool.awaitReceive(0, BATCH);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        pool.received(List.of("a", "b"), BATCH, deadline);

        assertThat(pool.awaitReceive(0, BATCH)).as("no room, but b is due").isFalse();
        assertThat(System.nanoTime() - deadline).isNotNegative();
        assertThat(pool.unstartable(System.nanoTime())).containsExactly("b");
    }

    @Test
    void theLastWorkerToFinishWakesAWaiterForIdle() throws Exception {
        var pool = new WorkerPool<String>(1, 4);
        pool.awaitReceive(0, BATCH);
        pool.received(List.of("a"), BATCH, LATER);
        var idle = parked(() -> {
            try {
                return pool.awaitIdle(Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });

        assertThat(pool.next()).isNull();

        assertThat(idle.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aReceiveInFlightSpeaksForAFullBatchSoReceivesAreBoundedByTheWorkers() throws Exception {
        var pool = new WorkerPool<String>(16, 10);
        pool.awaitReceive(0, BATCH, Duration.ZERO);
        pool.received(List.of(), BATCH, LATER);
        assertThat(pool.awaitReceive(0, BATCH, Duration.ZERO)).isTrue();
        pool.received(letters(0), BATCH, LATER);

        assertThat(pool.awaitReceive(0, BATCH, Duration.ZERO))
                .as("first receive")
                .isTrue();
        assertThat(pool.awaitReceive(0, BATCH, Duration.ZERO))
                .as("6 workers not yet spoken for")
                .isTrue();
        assertThat(pool.awaitReceive(0, BATCH, Duration.ofMillis(50)))
                .as("16 workers, 20 spoken for")
                .isFalse();
        assertThat(WorkerPool.pollersFor(16, BATCH)).isEqualTo(2);
    }

    @Test
    void aFullReceiveAddsAPollerAndAnEmptyOneDropsBackToOne() throws Exception {
        var pool = new WorkerPool<String>(64, 4);
        assertThat(pool.awaitReceive(1, BATCH, Duration.ofMillis(50)))
                .as("a second poller waits while one suffices")
                .isFalse();

        for (int i = 0; i < 5; i++) {
            pool.awaitReceive(0, BATCH, Duration.ZERO);
            pool.received(letters(10), BATCH, LATER);
        }
        assertThat(pool.activePollers()).as("capped at the maximum").isEqualTo(4);
        assertThat(pool.awaitReceive(3, BATCH, Duration.ZERO)).isTrue();
        pool.received(List.of("z"), BATCH, LATER);
        assertThat(pool.activePollers()).as("a partial batch keeps the pollers").isEqualTo(4);

        pool.awaitReceive(0, BATCH, Duration.ZERO);
        pool.received(List.of(), BATCH, LATER);

        assertThat(pool.activePollers()).isOne();
    }

    @Test
    void resizingToZeroWakesAWaitingPollerAndMakesEveryHeldMessageUnstartable() throws Exception {
        var pool = new WorkerPool<String>(1, 4);
        pool.awaitReceive(0, BATCH, Duration.ZERO);
        pool.received(letters(10), BATCH, LATER);
        var waiting = CompletableFuture.supplyAsync(() -> awaitReceive(pool));

        pool.resize(0);

        assertThat(waiting.get(30, TimeUnit.SECONDS))
                .as("woken without a receive")
                .isFalse();
        assertThat(pool.unstartable(System.nanoTime())).hasSize(9);
        assertThat(pool.next()).as("the running worker takes nothing more").isNull();
        assertThat(pool.busy()).isZero();
    }

    @Test
    void aHeldMessageWhoseDeadlinePassedIsGivenUp() throws Exception {
        var pool = new WorkerPool<String>(1, 4);
        pool.awaitReceive(0, BATCH, Duration.ZERO);
        long deadline = System.nanoTime();
        pool.received(List.of("a", "b"), BATCH, deadline);

        assertThat(pool.unstartable(deadline + 1)).containsExactly("b");
        assertThat(pool.next()).isNull();
    }

    @Test
    void aPoolThatShrankUnderItsWorkersStartsNothingHeld() throws Exception {
        var pool = new WorkerPool<String>(2, 4);
        pool.awaitReceive(0, BATCH, Duration.ZERO);
        pool.received(List.of("a", "b", "c"), BATCH, LATER);

        pool.resize(1);

        assertThat(pool.next()).as("2 busy for a pool of 1: this worker stops").isNull();
        assertThat(pool.next()).as("1 busy for a pool of 1: goes on").isEqualTo("c");
    }

    @Test
    void growingThePoolMakesHeldMessagesStartable() throws Exception {
        var pool = new WorkerPool<String>(1, 4);
        pool.awaitReceive(0, BATCH, Duration.ZERO);
        pool.received(List.of("a", "b", "c"), BATCH, LATER);

        pool.resize(3);

        assertThat(pool.startable()).containsExactly("b", "c");
        assertThat(pool.busy()).isEqualTo(3);
    }

    @Test
    void aClosedPoolHandsBackWhatItHeldAndStartsNothing() throws Exception {
        var pool = new WorkerPool<String>(1, 4);
        pool.awaitReceive(0, BATCH, Duration.ZERO);
        pool.received(List.of("a", "b"), BATCH, LATER);

        assertThat(pool.close()).containsExactly("b");
        assertThat(pool.next()).isNull();
        assertThat(pool.awaitReceive(0, BATCH, Duration.ofMillis(50))).isFalse();
    }

    private static List<String> letters(int n) {
        return IntStream.range(0, n).mapToObj(i -> "m" + i).toList();
    }

    /** Runs the wait on a thread of its own and returns once that thread is parked in it, not before. */
    private static CompletableFuture<Boolean> parked(Supplier<Boolean> wait) {
        var result = new CompletableFuture<Boolean>();
        var thread = Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(wait.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(30))
                .until(() -> result.isDone()
                        || thread.getState() == Thread.State.WAITING
                        || thread.getState() == Thread.State.TIMED_WAITING);
        assertThat(result).as("still waiting").isNotDone();
        return result;
    }

    private static boolean awaitReceiveUntimed(WorkerPool<String> pool) {
        return awaitReceiveUntimed(pool, 0);
    }

    private static boolean awaitReceiveUntimed(WorkerPool<String> pool, int pollerIndex) {
        try {
            return pool.awaitReceive(pollerIndex, BATCH);
        } catch (InterruptedException e) {
            throw new CompletionException(e);
        }
    }

    private static boolean awaitReceive(WorkerPool<String> pool) {
        try {
            return pool.awaitReceive(0, BATCH, Duration.ofMinutes(10));
        } catch (InterruptedException e) {
            throw new CompletionException(e);
        }
    }
}
