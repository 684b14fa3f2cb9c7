package io.decoupled.analytics.funnel;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sessions that clicked, sessions that ordered, and sessions that did both. A read-only report over the
 * tables of the clicks and orders features; it owns no data, so it reads SQL rather than their classes.
 */
@RestController
class FunnelController {
    private final JdbcTemplate jdbc;

    FunnelController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Funnel(long sessionsClicked, long sessionsOrdered, long sessionsClickedAndOrdered, double conversion) {}

    @GetMapping("/analytics/funnel")
    Funnel funnel() {
        return jdbc.queryForObject("""
                with ordered as (select distinct session_id from order_event
                                 where event_type = 'OrderPlaced' and session_id is not null)
                select (select count(*) from session_activity),
                       (select count(*) from ordered),
                       (select count(*) from ordered o join session_activity s on s.session_id = o.session_id)""", (rs, i) -> {
            long clicked = rs.getLong(1);
            long both = rs.getLong(3);
            return new Funnel(clicked, rs.getLong(2), both, clicked == 0 ? 0 : (double) both / clicked);
        });
    }
}
