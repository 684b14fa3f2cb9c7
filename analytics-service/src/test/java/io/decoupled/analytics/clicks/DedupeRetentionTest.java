package io.decoupled.analytics.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.localaws.LocalPostgres;
import java.time.Duration;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The dedupe table forgets only ids older than the retention, against the real schema on embedded PostgreSQL. */
class DedupeRetentionTest {

    @Test
    void pruningDropsOnlyClickIdsOlderThanTheRetention() {
        var props = LocalPostgres.shared().springProperties("analytics_retention");
        var dataSource = new DriverManagerDataSource(
                props.get("spring.datasource.url"),
                props.get("spring.datasource.username"),
                props.get("spring.datasource.password"));
        Flyway.configure().dataSource(dataSource).load().migrate();
        var jdbc = new JdbcTemplate(dataSource);
        var old = UUID.randomUUID();
        var recent = UUID.randomUUID();
        jdbc.update("insert into counted_click (click_id, counted_at) values (?, now() - interval '3 days')", old);
        jdbc.update("insert into counted_click (click_id, counted_at) values (?, now() - interval '47 hours')", recent);

        new DedupeRetention(jdbc, new DedupeRetention.Settings(Duration.ofHours(48))).prune();

        assertThat(jdbc.queryForList(
                        "select click_id from counted_click where click_id in (?, ?)", UUID.class, old, recent))
                .containsExactly(recent);
    }
}
