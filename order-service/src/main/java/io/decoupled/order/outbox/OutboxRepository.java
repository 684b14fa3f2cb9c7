package io.decoupled.order.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/** The outbox table. Claims use {@code FOR UPDATE SKIP LOCKED}, so concurrent relays never take the same row. */
@Repository
class OutboxRepository {
    private static final Logger log = LoggerFactory.getLogger(OutboxRepository.class);

    private final JdbcClient jdbc;
    private final JsonMapper json;

    OutboxRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(OutboxMessage message) {
        jdbc.sql("""
                        insert into outbox (event_id, aggregate_id, event_type, payload, attributes, created_at)
                        values (?, ?, ?, ?, cast(? as jsonb), clock_timestamp())""")
                .params(
                        message.eventId(),
                        message.aggregateId(),
                        message.eventType(),
                        message.payload(),
                        json.writeValueAsString(message.attributes()))
                .update();
    }

    /**
     * Locks up to {@code limit} pending rows, oldest first, skipping rows another relay holds. The locks last until
     * the caller's transaction ends, which is after SNS answered and the outcome was written. A row whose attributes
     * cannot be read (only a hand-edited row could have such) is parked with the reason instead of returned: failing
     * the claim would fail every claim after it too, and hold up the whole outbox.
     */
    List<PendingEvent> claim(int limit) {
        return claim(limit, 0, Long.MAX_VALUE);
    }

    /**
     * As {@link #claim(int)}, among ids in {@code [fromId, toId)} only. The range lets a relay start past the rows it
     * has just published ({@link OutboxRelay}): the pending index keeps their entries until a vacuum, and a claim
     * from the lowest id steps over all of them again.
     */
    List<PendingEvent> claim(int limit, long fromId, long toId) {
        var rows = jdbc.sql("""
                        select id, event_id, event_type, payload, attributes::text as attributes, created_at, attempts
                        from outbox
                        where published_at is null and parked_at is null and id >= ? and id < ?
                        order by id
                        limit ?
                        for update skip locked""").params(fromId, toId, limit).query(this::row).list();
        var events = new ArrayList<PendingEvent>(rows.size());
        for (var row : rows) {
            if (row.event() != null) {
                events.add(row.event());
            } else {
                log.warn("Outbox row {} parked: {}", row.id(), row.unreadable());
                jdbc.sql("update outbox set last_error = ?, parked_at = clock_timestamp() where id = ?")
                        .params(row.unreadable(), row.id())
                        .update();
            }
        }
        return events;
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

    /** A claimed row: its event, or why it cannot be read. */
    private record Row(long id, PendingEvent event, String unreadable) {}

    private Row row(ResultSet rs, int rowNum) throws SQLException {
        long id = rs.getLong("id");
        var text = rs.getString("attributes");
        Map<String, OutboxMessage.Attribute> attributes;
        try {
            attributes = attributes(text);
        } catch (RuntimeException e) {
            return new Row(id, null, sanitise("Unreadable attributes " + text + ": " + e.getMessage()));
        }
        return new Row(
                id,
                new PendingEvent(
                        id,
                        rs.getObject("event_id", UUID.class),
                        rs.getString("event_type"),
                        rs.getString("payload"),
                        attributes,
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getInt("attempts")),
                null);
    }

    /**
     * The attributes column as {@link #insert} wrote it, {@code {"name": {"dataType": ..., "value": ...}, ...}}, read
     * token by token: binding it to records through databind was 8% of the relay's CPU (docs/benchmarks.md, run 18).
     */
    private Map<String, OutboxMessage.Attribute> attributes(String text) {
        var attributes = new HashMap<String, OutboxMessage.Attribute>();
        try (var parser = json.createParser(text)) {
            expect(parser.nextToken() == JsonToken.START_OBJECT);
            for (var name = parser.nextName(); name != null; name = parser.nextName()) {
                expect(parser.nextToken() == JsonToken.START_OBJECT);
                String dataType = null;
                String value = null;
                for (var field = parser.nextName(); field != null; field = parser.nextName()) {
                    var string = parser.nextStringValue();
                    switch (field) {
                        case "dataType" -> dataType = string;
                        case "value" -> value = string;
                        default -> parser.skipChildren();
                    }
                }
                expect(dataType != null && value != null);
                attributes.put(name, new OutboxMessage.Attribute(dataType, value));
            }
        }
        return attributes;
    }

    private static void expect(boolean condition) {
        if (!condition) {
            throw new IllegalStateException("not {\"name\": {\"dataType\": ..., \"value\": ...}, ...}");
        }
    }
}
