package io.decoupled.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.order.outbox.OutboxRepository.Position;
import io.decoupled.order.outbox.OutboxRepository.Window;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/** How long the relay's stop can take when its loop is stuck waiting for the database, or giving its lease up is. */
class OutboxRelayStopTest {

    @Test
    void stopWaitsAtMostItsDeadlineWhenTheLoopIsStuckOnTheDatabaseAndThenDoesNotWaitForTheDatabaseAgain() {
        var databaseBack = new CountDownLatch(1);
        var waiting = new AtomicInteger();
        // The loop waits for a connection, as with a pool whose database is gone.
        var stuck = new PlatformTransactionManager() {
            @Override
            public TransactionStatus getTransaction(TransactionDefinition definition) {
                waiting.incrementAndGet();
                await().atMost(Duration.ofMinutes(1)).until(() -> databaseBack.getCount() == 0);
                throw new CannotCreateTransactionException("the database is gone");
            }

            @Override
            public void commit(TransactionStatus status) {}

            @Override
            public void rollback(TransactionStatus status) {}
        };
        // A call timeout of 1 s: a deadline of 2 s. Giving the lease up would wait for the database again, so a stop
        // whose loop did not end skips it.
        var settings = new OutboxProperties.Relay(
                true,
                4,
                50,
                Duration.ofMillis(200),
                Duration.ofSeconds(15),
                3,
                50,
                Duration.ZERO,
                Duration.ofSeconds(1),
                Duration.ofDays(7));
        var relay = new OutboxRelay(
                null,
                null,
                new TransactionTemplate(stuck),
                new OutboxMetrics(new SimpleMeterRegistry(), null),
                settings,
                Clock.systemUTC());
        relay.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> waiting.get() == 1);

            long start = System.nanoTime();
            relay.stop();
            var took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900)).isLessThan(Duration.ofSeconds(8));
            assertThat(relay.isRunning()).isFalse();
            assertThat(waiting.get()).as("no second wait for the database").isEqualTo(1);
        } finally {
            databaseBack.countDown();
        }
    }

    @Test
    void stopWaitsAtMostTwoSecondsToGiveTheLeaseUpWhenTheDatabaseGoesAwayWithTheJvm() {
        var releaseAsked = new CountDownLatch(1);
        var databaseBack = new CountDownLatch(1);
        // Holds the lease and has nothing to relay; giving the lease up hangs, as a connection to a database that is
        // shutting down waits for the pool's timeout.
        var repository = new OutboxRepository(null, null) {
            @Override
            Optional<Position> lease(String owner, Duration lease) {
                return Optional.of(new Position(1, 0));
            }

            @Override
            Window readAfter(Position after, int limit) {
                return Window.EMPTY;
            }

            @Override
            List<PendingEvent> claimSetAside(int limit, long afterId) {
                return List.of();
            }

            @Override
            void release(String owner) {
                releaseAsked.countDown();
                await().atMost(Duration.ofMinutes(1)).until(() -> databaseBack.getCount() == 0);
            }
        };
        var relay = new OutboxRelay(
                repository,
                null,
                new TransactionTemplate(new NoTransactions()),
                new OutboxMetrics(new SimpleMeterRegistry(), null),
                new OutboxProperties.Relay(
                        true,
                        2,
                        50,
                        Duration.ofMillis(100),
                        Duration.ofSeconds(15),
                        3,
                        50,
                        Duration.ZERO,
                        Duration.ofSeconds(1),
                        Duration.ofDays(7)),
                Clock.systemUTC());
        relay.start();
        try {
            long start = System.nanoTime();
            relay.stop();
            var took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(releaseAsked.getCount())
                    .as("the lease was to be given up")
                    .isZero();
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900)).isLessThan(Duration.ofSeconds(8));
            assertThat(relay.isRunning()).isFalse();
        } finally {
            databaseBack.countDown();
        }
    }

    /** A transaction manager for code that needs one but no database. */
    private static final class NoTransactions implements PlatformTransactionManager {
        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            return new SimpleTransactionStatus();
        }

        @Override
        public void commit(TransactionStatus status) {}

        @Override
        public void rollback(TransactionStatus status) {}
    }
}
