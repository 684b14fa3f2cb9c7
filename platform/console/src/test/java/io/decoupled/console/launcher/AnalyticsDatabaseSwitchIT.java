package io.decoupled.console.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The analytics database switch against real embedded PostgreSQL: while it is on, analytics' connections are closed and
 * new ones refused while the other services' databases on the same server stay reachable; a consumer that retries
 * transient failures and writes idempotently (as analytics' listeners do) loses nothing and counts nothing twice.
 */
class AnalyticsDatabaseSwitchIT {
    private static final int CLICKS = 200;

    @Test
    void whileTheSwitchIsOnOnlyAnalyticsLosesItsDatabaseAndARetryingConsumerCountsEveryClickOnceAfterwards()
            throws Exception {
        var postgres = LocalPostgres.shared();
        String direct = postgres.createDatabase("analytics_switch_it");
        String other = postgres.createDatabase("orders_switch_it");
        try (var gate = new DatabaseGate(postgres.port());
                var setup = DriverManager.getConnection(direct, "postgres", "postgres")) {
            setup.createStatement().execute("drop table if exists clicks; create table clicks (id int primary key)");
            var faults = new EmbeddedFaults(Optional.of(gate), Optional.empty(), Clock.systemUTC());
            var analytics = new Reconnecting(gate.jdbcUrl("analytics_switch_it"));
            var written = new AtomicInteger();
            var retries = new AtomicInteger();

            // Each click is retried until it is stored (Awaitility's poll interval is the consumer's backoff).
            var consumer = CompletableFuture.runAsync(() -> IntStream.range(0, CLICKS)
                    .forEach(click -> await().pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(100))
                            .atMost(Duration.ofMinutes(3))
                            .until(() -> {
                                try (var insert = analytics
                                        .get()
                                        .prepareStatement("insert into clicks values (?) on conflict do nothing")) {
                                    insert.setInt(1, click);
                                    insert.executeUpdate();
                                    written.incrementAndGet();
                                    return true;
                                } catch (SQLException transientFailure) {
                                    retries.incrementAndGet();
                                    analytics.reset();
                                    return false;
                                }
                            })));
            await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= CLICKS / 4);

            assertThat(faults.analyticsDatabase(false).accepted()).isTrue();
            assertThat(faults.state().analyticsDatabaseAvailable()).isFalse();
            assertThat(faults.state().analyticsDatabaseDownSince()).isBeforeOrEqualTo(Instant.now());
            assertThat(faults.analyticsDatabase(false).accepted())
                    .as("already down")
                    .isFalse();
            assertThatExceptionOfType(SQLException.class)
                    .isThrownBy(() ->
                            DriverManager.getConnection(gate.jdbcUrl("analytics_switch_it"), "postgres", "postgres"));
            try (var orders = DriverManager.getConnection(other, "postgres", "postgres")) {
                assertThat(orders.isValid(5))
                        .as("the other services' databases stay up")
                        .isTrue();
            }
            int before = written.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> retries.get() >= 3);
            assertThat(written.get())
                    .as("nothing is written while the database is down")
                    .isLessThanOrEqualTo(before + 1);

            assertThat(faults.analyticsDatabase(true).accepted()).isTrue();
            consumer.get(3, TimeUnit.MINUTES);

            try (var count = setup.createStatement().executeQuery("select count(*), count(distinct id) from clicks")) {
                count.next();
                assertThat(count.getInt(1)).isEqualTo(CLICKS);
                assertThat(count.getInt(2)).isEqualTo(CLICKS);
            }
            assertThat(faults.state().analyticsDatabaseAvailable()).isTrue();
        }
    }

    /** The consumer's one connection, reopened after a failure (a pool does the same). */
    private static final class Reconnecting {
        private final String url;
        private Connection connection;

        Reconnecting(String url) {
            this.url = url;
        }

        synchronized Connection get() throws SQLException {
            if (connection == null) {
                connection = DriverManager.getConnection(url, "postgres", "postgres");
            }
            return connection;
        }

        synchronized void reset() {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException ignored) {
                // broken anyway
            }
            connection = null;
        }
    }
}
