package io.decoupled.analytics.clicks;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the dedupe table bounded. A click can only come back while the stream still holds it, so ids older
 * than the stream's retention (24 h) plus a margin can go; the default keeps them twice as long.
 */
@Component
class DedupeRetention {
    private static final Logger log = LoggerFactory.getLogger(DedupeRetention.class);

    @ConfigurationProperties("analytics.clicks")
    record Settings(@DefaultValue("48h") Duration dedupeRetention) {}

    private final JdbcTemplate jdbc;
    private final Settings settings;

    DedupeRetention(JdbcTemplate jdbc, Settings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @Scheduled(
            fixedDelayString = "${analytics.clicks.dedupe-prune-interval:15m}",
            initialDelayString = "${analytics.clicks.dedupe-prune-interval:15m}")
    void prune() {
        int pruned =
                jdbc.update("delete from counted_click where counted_at < now() - make_interval(secs => ?)", (double)
                        settings.dedupeRetention().toSeconds());
        if (pruned > 0) {
            log.info("Pruned {} click ids older than {} from the dedupe table", pruned, settings.dedupeRetention());
        }
    }
}
