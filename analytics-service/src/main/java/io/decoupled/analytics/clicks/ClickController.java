package io.decoupled.analytics.clicks;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Click aggregates: totals, clicks per page per minute, and active sessions (event-time windows). A window is the
 * last {@code minutes} minutes up to now, the current one included; clicks dated later are counted in their own minute
 * but shown only when it comes.
 */
@RestController
@RequestMapping("/analytics")
class ClickController {
    private final ClickAggregates aggregates;
    private final Clock clock;

    ClickController(ClickAggregates aggregates, Clock clock) {
        this.aggregates = aggregates;
        this.clock = clock;
    }

    @GetMapping("/clicks")
    ClickAggregates.Summary summary() {
        return aggregates.summary();
    }

    record PagesPerMinute(Instant since, List<ClickAggregates.PageMinute> windows) {}

    @GetMapping("/clicks/pages")
    PagesPerMinute pagesPerMinute(
            @RequestParam(defaultValue = "15") @Min(1) @Max(1440) int minutes,
            @RequestParam(defaultValue = "200") @Min(1) @Max(5000) int limit) {
        var since = since(minutes);
        return new PagesPerMinute(since, aggregates.pages(since, clock.instant(), limit));
    }

    record ActiveSessions(int windowMinutes, long activeSessions, List<ClickAggregates.SessionsMinute> perMinute) {}

    @GetMapping("/sessions/active")
    ActiveSessions activeSessions(@RequestParam(defaultValue = "5") @Min(1) @Max(1440) int minutes) {
        var since = since(minutes);
        var until = clock.instant();
        return new ActiveSessions(
                minutes, aggregates.activeSessions(since, until), aggregates.sessionsPerMinute(since, until));
    }

    private Instant since(int minutes) {
        return clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(minutes - 1L));
    }
}
