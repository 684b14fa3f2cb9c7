package io.decoupled.analytics.clicks;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pattern: idempotent consumer with the dedupe record and the effect in one transaction. A click is counted
 * only if its id could be inserted into {@code counted_click}; the counters change in the same transaction,
 * so a record delivered again (a replay after a lease moved, a restart before the checkpoint, a producer
 * retry that wrote it twice) finds its id and changes nothing.
 *
 * <p>Windows are tumbling minutes of event time (the click's timestamp), so a replay lands in the window it
 * landed in the first time. Rows are upserted in key order so that two shards' transactions touching the
 * same page and minute cannot deadlock.
 */
@Repository
class ClickAggregates {
    private final JdbcTemplate jdbc;

    ClickAggregates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Applied(int counted, int duplicates, int outOfOrder) {}

    @Transactional
    Applied apply(List<ClickRecorded> clicks) {
        if (clicks.isEmpty()) {
            return new Applied(0, 0, 0);
        }
        var fresh = insertNewIds(clicks);
        var counted = clicks.stream().filter(c -> fresh.remove(c.clickId())).toList();
        if (counted.isEmpty()) {
            return new Applied(0, clicks.size(), 0);
        }

        var pageMinutes = new HashMap<List<Object>, Long>();
        var sessionMinutes = new HashMap<List<Object>, Long>();
        for (var c : counted) {
            var minute = c.timestamp().truncatedTo(ChronoUnit.MINUTES);
            pageMinutes.merge(List.of(minute, c.page()), 1L, Long::sum);
            sessionMinutes.merge(List.of(minute, c.sessionId()), 1L, Long::sum);
        }
        upsertCounts(
                "insert into page_minute (minute, page, clicks) values (?, ?, ?) "
                        + "on conflict (minute, page) do update set clicks = page_minute.clicks + excluded.clicks",
                pageMinutes);
        upsertCounts(
                "insert into session_minute (minute, session_id, clicks) values (?, ?, ?) "
                        + "on conflict (minute, session_id) do update set clicks = session_minute.clicks + excluded.clicks",
                sessionMinutes);
        int outOfOrder = updateSessions(counted);
        return new Applied(counted.size(), clicks.size() - counted.size(), outOfOrder);
    }

    private Set<UUID> insertNewIds(List<ClickRecorded> clicks) {
        var ids = clicks.stream().map(ClickRecorded::clickId).toArray(UUID[]::new);
        var inserted = jdbc.query(
                con -> {
                    var statement = con.prepareStatement(
                            "insert into counted_click (click_id) select unnest(?) on conflict do nothing returning click_id");
                    statement.setArray(1, con.createArrayOf("uuid", ids));
                    return statement;
                },
                (rs, i) -> rs.getObject(1, UUID.class));
        return new HashSet<>(inserted);
    }

    private void upsertCounts(String sql, Map<List<Object>, Long> counts) {
        var rows = counts.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<List<Object>, Long> e) ->
                                (Instant) e.getKey().get(0))
                        .thenComparing(e -> (String) e.getKey().get(1)))
                .map(e -> new Object[] {
                    Timestamp.from((Instant) e.getKey().get(0)), e.getKey().get(1), e.getValue()
                })
                .toList();
        jdbc.batchUpdate(sql, rows);
    }

    /** Per-session first/last click and clicks, counting a click older than the session's latest as out of order. */
    private int updateSessions(List<ClickRecorded> counted) {
        var bySession = new LinkedHashMap<String, List<ClickRecorded>>();
        counted.forEach(c ->
                bySession.computeIfAbsent(c.sessionId(), k -> new ArrayList<>()).add(c));
        var sessions = bySession.keySet().stream().sorted().toArray(String[]::new);
        var latest = new HashMap<String, Instant>();
        jdbc.query(
                con -> {
                    var statement = con.prepareStatement(
                            "select session_id, last_click from session_activity where session_id = any(?) "
                                    + "order by session_id for update");
                    statement.setArray(1, con.createArrayOf("text", sessions));
                    return statement;
                },
                rs -> {
                    latest.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                });
        int outOfOrderTotal = 0;
        var rows = new ArrayList<Object[]>();
        for (var session : sessions) {
            var clicks = bySession.get(session);
            var last = latest.get(session);
            var first = clicks.getFirst().timestamp();
            int outOfOrder = 0;
            for (var c : clicks) {
                if (last != null && c.timestamp().isBefore(last)) {
                    outOfOrder++;
                } else {
                    last = c.timestamp();
                }
                if (c.timestamp().isBefore(first)) {
                    first = c.timestamp();
                }
            }
            outOfOrderTotal += outOfOrder;
            rows.add(new Object[] {session, Timestamp.from(first), Timestamp.from(last), clicks.size(), outOfOrder});
        }
        jdbc.batchUpdate("""
                insert into session_activity (session_id, first_click, last_click, clicks, out_of_order) values (?, ?, ?, ?, ?)
                on conflict (session_id) do update set
                    first_click = least(session_activity.first_click, excluded.first_click),
                    last_click = greatest(session_activity.last_click, excluded.last_click),
                    clicks = session_activity.clicks + excluded.clicks,
                    out_of_order = session_activity.out_of_order + excluded.out_of_order""", rows);
        return outOfOrderTotal;
    }

    record Summary(long clicks, long sessions, long outOfOrder, long rejected) {}

    Summary summary() {
        return jdbc.queryForObject(
                """
                select (select coalesce(sum(clicks), 0) from session_activity),
                       (select count(*) from session_activity),
                       (select coalesce(sum(out_of_order), 0) from session_activity),
                       (select count(*) from rejected_record where source = 'clickstream')""", (rs, i) -> new Summary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
    }

    record PageMinute(Instant minute, String page, long clicks) {}

    /**
     * The windows from {@code since} to {@code until}, newest first. Both ends bound them: a click is counted in the
     * minute of its own timestamp, and a client may send one dated years ahead, which without the upper bound would
     * stay at the top of "the last minutes" until its time came.
     */
    List<PageMinute> pages(Instant since, Instant until, int limit) {
        return jdbc.query(
                "select minute, page, clicks from page_minute where minute >= ? and minute <= ? "
                        + "order by minute desc, clicks desc, page limit ?",
                (rs, i) -> new PageMinute(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getLong(3)),
                Timestamp.from(since),
                Timestamp.from(until),
                limit);
    }

    record SessionsMinute(Instant minute, long activeSessions) {}

    List<SessionsMinute> sessionsPerMinute(Instant since, Instant until) {
        return jdbc.query(
                "select minute, count(*) from session_minute where minute >= ? and minute <= ? "
                        + "group by minute order by minute desc",
                (rs, i) -> new SessionsMinute(rs.getTimestamp(1).toInstant(), rs.getLong(2)),
                Timestamp.from(since),
                Timestamp.from(until));
    }

    /**
     * Sessions with a click in the minutes from {@code since} to {@code until}: the same windows as
     * {@link #sessionsPerMinute}, each session once. Read from the minutes, not from a session's last click, which a
     * click dated in the future would move out of every window.
     */
    long activeSessions(Instant since, Instant until) {
        return jdbc.queryForObject(
                "select count(distinct session_id) from session_minute where minute >= ? and minute <= ?",
                Long.class,
                Timestamp.from(since),
                Timestamp.from(until));
    }
}
