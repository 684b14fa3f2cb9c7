package io.decoupled.shipping.outbox;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The outbox table. */
@Repository
class OutboxRepository {
    private final JdbcClient jdbc;

    OutboxRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(OutboxMessage message, TraceContext trace) {
        jdbc.sql("insert into outbox (event_id, group_id, event_type, payload, traceparent, tracestate) values (?, ?, ?, ?, ?, ?)")
                .params(message.eventId(), message.groupId(), message.eventType(), message.payload(), trace.traceparent(),
                        trace.tracestate())
                .update();
    }

    /**
     * Locks up to {@code limit} pending rows, at most the oldest pending one per message group, skipping rows
     * another relay holds. One event per group per batch keeps each order's events in order even when an
     * entry of a batch fails: the next event of that group waits until this one is published.
     */
    List<PendingEvent> claim(int limit) {
        return jdbc.sql("""
                        select o.id, o.event_id, o.group_id, o.event_type, o.payload, o.traceparent, o.tracestate from outbox o
                        where o.published_at is null
                          and not exists (select 1 from outbox earlier
                                          where earlier.group_id = o.group_id and earlier.published_at is null and earlier.id < o.id)
                        order by o.id
                        limit ?
                        for update skip locked""")
                .param(limit)
                .query((rs, n) -> new PendingEvent(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)))
                .list();
    }

    void markPublished(List<Long> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("update outbox set published_at = clock_timestamp(), attempts = attempts + 1, last_error = null where id in (:ids)")
                    .param("ids", ids).update();
        }
    }

    void recordFailure(long id, String error) {
        jdbc.sql("update outbox set attempts = attempts + 1, last_error = ? where id = ?").params(error, id).update();
    }

    long countPending() {
        return jdbc.sql("select count(*) from outbox where published_at is null").query(Long.class).single();
    }
}
