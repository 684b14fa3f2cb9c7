package io.decoupled.analytics.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.localaws.LocalPostgres;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The dashboard's windows ("the last 5 minutes") end now: a click dated in the future is counted in its own minute
 * but not shown as recent, against the real schema on embedded PostgreSQL.
 */
class ClickAggregatesWindowTest {

    @Test
    void clicksDatedInTheFutureAreNotInTheLastMinutes() {
        var props = LocalPostgres.shared().springProperties("analytics_windows");
        var dataSource = new DriverManagerDataSource(
                props.get("spring.datasource.url"),
                props.get("spring.datasource.username"),
                props.get("spring.datasource.password"));
        Flyway.configure().dataSource(dataSource).load().migrate();
        var jdbc = new JdbcTemplate(dataSource);
        var aggregates = new ClickAggregates(jdbc);
        var run = UUID.randomUUID().toString().substring(0, 8);
        var now = Instant.now();
        var recent = now.minus(Duration.ofMinutes(2));
        aggregates.apply(List.of(
                click(run + "-recent", "/" + run + "/now", recent),
                click(run + "-both", "/" + run + "/now", recent),
                click(run + "-both", "/" + run + "/later", now.plus(Duration.ofMinutes(40))),
                click(run + "-far", "/" + run + "/far", Instant.parse("9999-12-31T23:59:59Z")),
                click(run + "-old", "/" + run + "/old", now.minus(Duration.ofHours(3)))));

        var since = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(4));
        var pages = aggregates.pages(since, now, 5000).stream().toList();
        assertThat(pages).extracting(ClickAggregates.PageMinute::page).containsExactly("/" + run + "/now");
        assertThat(pages.getFirst().clicks()).isEqualTo(2);
        // The database is this test's own: two sessions clicked in the window, one of them also in 40 minutes,
        // which must not hide it; the sessions of the far future and of three hours ago are outside.
        assertThat(aggregates.sessionsPerMinute(since, now))
                .containsExactly(new ClickAggregates.SessionsMinute(recent.truncatedTo(ChronoUnit.MINUTES), 2));
        assertThat(aggregates.activeSessions(since, now)).isEqualTo(2);
        // Everything was counted, the far future included: the windows only decide what is shown as recent.
        assertThat(aggregates.pages(Instant.parse("9999-12-31T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"), 5000))
                .extracting(ClickAggregates.PageMinute::page)
                .contains("/" + run + "/far");
    }

    private static ClickRecorded click(String session, String page, Instant at) {
        return new ClickRecorded(UUID.randomUUID(), session, page, at, null, null);
    }
}
