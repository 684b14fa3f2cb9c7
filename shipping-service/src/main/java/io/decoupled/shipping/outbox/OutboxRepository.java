package io.decoupled.shipping.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The outbox table. Claims use {@code FOR UPDATE SKIP LOCKED}, so concurrent relays never take the same row; the
 * same class as order-service's, with the FIFO head-of-group claim as the one difference.
 */
@Repository
class OutboxRepository {
    private final JdbcClient jdbc;

    OutboxRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(OutboxMessage message, TraceContext trace) {
        jdbc.sql(
                        "insert into outbox (event_id, group_id, event_type, payload, traceparent, tracestate) values (?, ?, ?, ?, ?, ?)")
                .params(
                        message.eventId(),
                        message.groupId(),
                        message.eventType(),
                        message.payload(),
                        trace.traceparent(),
                        trace.tracestate())
                .update();
    }

    /**
     * Locks up to {@code limit} pending rows, at most the oldest unpublished one per message group, skipping rows
     * another relay holds. One event per group per batch keeps each order's events in order even when an entry of
     * a batch fails: the next event of that group waits until this one is published. A parked row is unpublished
     * too, so it holds back the later events of its group (and only of its group) until an operator resolves it:
     * publishing them past it would break the order the FIFO topic promises.
     */
    List<PendingEvent> claim(int limit) {
        return jdbc.sql("""
                        select o.id, o.event_id, o.group_id, o.event_type, o.payload, o.traceparent, o.tracestate, o.created_at, o.attempts
                        from outbox o
                        where o.published_at is null and o.parked_at is null
                          and not exists (select 1 from outbox earlier
                                          where earlier.group_id = o.group_id and earlier.published_at is null and earlier.id < o.id)
                        order by o.id
                        limit ?
                        for update skip locked""").param(limit).query(this::pending).list();
    }

    void markPublished(List<PendingEvent> events, Instant at) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.sql("update outbox set published_at = :at, attempts = attempts + 1, last_error = null where id in (:ids)")
                .param("at", Timestamp.from(at))
                .param("ids", events.stream().map(PendingEvent::id).toList())
                .update();
    }

    /**
     * Counts a rejected attempt; an entry rejected {@code maxAttempts} times, and older than {@code patience}, is parked
     * instead of retried forever.
     * The caller holds the row's lock, so the attempt count it claimed is still the row's. The error text is
     * sanitised (no control characters, bounded) so that recording a failure cannot fail itself.
     *
     * @return whether the row is now parked
     */
    boolean recordRejection(PendingEvent event, String error, int maxAttempts, Duration patience, Instant at) {
        var reason = sanitise(error);
        if (event.attempts() + 1 >= maxAttempts
                && !event.createdAt().plus(patience).isAfter(at)) {
            jdbc.sql("update outbox set attempts = attempts + 1, last_error = ?, parked_at = ? where id = ?")
                    .params(reason, Timestamp.from(at), event.id())
                    .update();
            return true;
        }
        jdbc.sql("update outbox set attempts = attempts + 1, last_error = ? where id = ?")
                .params(reason, event.id())
                .update();
        return false;
    }

    static String sanitise(String error) {
        var text = String.valueOf(error).replaceAll("[\\p{Cc}\\p{Cs}]", "?");
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    long countPending() {
        return jdbc.sql("select count(*) from outbox where published_at is null and parked_at is null")
                .query(Long.class)
                .single();
    }

    long countParked() {
        return jdbc.sql("select count(*) from outbox where parked_at is not null")
                .query(Long.class)
                .single();
    }

    int deletePublishedBefore(Instant cutoff) {
        return jdbc.sql("delete from outbox where published_at < ?")
                .param(Timestamp.from(cutoff))
                .update();
    }

    private PendingEvent pending(ResultSet rs, int rowNum) throws SQLException {
        return new PendingEvent(
                rs.getLong("id"),
                rs.getObject("event_id", UUID.class),
                rs.getString("group_id"),
                rs.getString("event_type"),
                rs.getString("payload"),
                rs.getString("traceparent"),
                rs.getString("tracestate"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getInt("attempts"));
    }
}
