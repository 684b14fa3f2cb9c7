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
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox table and the relay's position in it (V5__outbox_in_commit_order.sql): the relay reads rows after its
 * position in commit order, and moves the position, under a lease. Rows SNS rejected are set aside and claimed with
 * {@code FOR UPDATE SKIP LOCKED}.
 */
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

    /** Where a row is in the order the relay publishes in: its transaction's id, then its own. */
    record Position(long tx, long id) {
        boolean isAfter(Position other) {
            return tx != other.tx ? Long.compareUnsigned(tx, other.tx) > 0 : id > other.id;
        }
    }

    /**
     * Rows read after a position, in order: the events with their positions, the position of the last row read, and
     * how many rows were read (unreadable ones, parked, included).
     */
    record Window(List<Entry> entries, Position end, int read) {
        static final Window EMPTY = new Window(List.of(), null, 0);

        Window {
            entries = List.copyOf(entries);
        }

        boolean isEmpty() {
            return end == null;
        }

        record Entry(Position at, PendingEvent event) {}
    }

    /**
     * Up to {@code limit} rows after {@code after}, in (tx, id) order, of transactions that have ended: every transaction
     * below the oldest one still running ({@code pg_snapshot_xmin}) has committed or rolled back, so no row can appear
     * later at a position below them. Rows of a transaction still running, and every row after them, wait until it
     * ends. Nothing is locked. A row whose attributes cannot be read (only a hand-edited row could have such) is
     * parked with the reason instead of returned, and still counts as read: failing the read would stop the relay at
     * it for good.
     */
    Window readAfter(Position after, int limit) {
        // No condition on the row's state here: with one, the planner estimated a handful of rows on a table not yet
        // analysed, and read every row after the position and sorted them, for each window (run 21). The rows already
        // settled after the position (set aside or parked in a window that stopped short, published by the relay
        // before V5) are skipped below instead.
        var rows = jdbc.sql("""
                        select id, event_id, event_type, payload, attributes::text as attributes, created_at, attempts,
                               tx::text as tx_text,
                               published_at is not null or parked_at is not null or retry_since is not null as settled
                        from outbox
                        where (tx, id) > (cast(? as xid8), ?) and tx < pg_snapshot_xmin(pg_current_snapshot())
                        order by tx, id
                        limit ?""")
                .params(Long.toUnsignedString(after.tx()), after.id(), limit)
                .query(this::row)
                .list();
        if (rows.isEmpty()) {
            return Window.EMPTY;
        }
        var entries = new ArrayList<Window.Entry>(rows.size());
        for (var row : rows) {
            if (row.event() != null) {
                entries.add(new Window.Entry(row.at(), row.event()));
            } else if (row.unreadable() != null) {
                park(row);
            }
        }
        return new Window(entries, rows.getLast().at(), rows.size());
    }

    /**
     * Takes or renews the relay's lease, unless another relay holds one that has not run out; returns the position. A
     * position whose transaction id is not below the database's current one belongs to another database's ids (a
     * restore from a dump, a logical copy): relaying from it would skip every row written since, so it is refused
     * (docs/order-service.md, "Restoring the database").
     */
    Optional<Position> lease(String owner, Duration lease) {
        return jdbc.sql("""
                        update outbox_position
                        set owner = ?, lease_until = clock_timestamp() + make_interval(secs => ?)
                        where owner is null or owner = ? or lease_until < clock_timestamp()
                        returning tx::text, last_id, tx >= pg_current_xact_id()""")
                .params(owner, lease.toMillis() / 1000.0, owner)
                .query((rs, n) -> {
                    if (rs.getBoolean(3)) {
                        throw new IllegalStateException("The outbox position (transaction " + rs.getString(1)
                                + ") is not below the database's current transaction id: the database was restored or"
                                + " copied into another cluster. Nothing is relayed until the position is reset"
                                + " (docs/order-service.md, \"Restoring the database\").");
                    }
                    return new Position(Long.parseUnsignedLong(rs.getString(1)), rs.getLong(2));
                })
                .optional();
    }

    /**
     * Moves the position from {@code from} to {@code to} and records when, if {@code owner} still holds the lease and
     * the position is still {@code from}; renews the lease.
     *
     * @return whether it moved; if not, another relay took over
     */
    boolean advance(String owner, Position from, Position to, Instant at, Duration lease) {
        // One statement, so one round trip and atomic without a transaction around it.
        return jdbc.sql("""
                                with moved as (
                                    update outbox_position
                                    set tx = cast(? as xid8), last_id = ?, moved_at = ?,
                                        lease_until = clock_timestamp() + make_interval(secs => ?)
                                    where owner = ? and tx = cast(? as xid8) and last_id = ?
                                    returning tx, last_id, moved_at)
                                insert into outbox_publication (tx, last_id, published_at)
                                select tx, last_id, moved_at from moved""")
                        .params(
                                Long.toUnsignedString(to.tx()),
                                to.id(),
                                Timestamp.from(at),
                                lease.toMillis() / 1000.0,
                                owner,
                                Long.toUnsignedString(from.tx()),
                                from.id())
                        .update()
                == 1;
    }

    /** Gives the lease up, so another relay takes over at once rather than when it runs out. */
    void release(String owner) {
        jdbc.sql("update outbox_position set owner = null, lease_until = null where owner = ?")
                .param(owner)
                .update();
    }

    /**
     * Locks up to {@code limit} rows set aside after SNS rejected them ({@link #recordRejection}), in id order after
     * {@code afterId}, skipping rows another transaction holds. The locks last until the caller's transaction ends.
     */
    List<PendingEvent> claimSetAside(int limit, long afterId) {
        var rows = jdbc.sql("""
                        select id, event_id, event_type, payload, attributes::text as attributes, created_at, attempts,
                               tx::text as tx_text, false as settled
                        from outbox
                        where retry_since is not null and published_at is null and parked_at is null and id > ?
                        order by id
                        limit ?
                        for update skip locked""").params(afterId, limit).query(this::row).list();
        var events = new ArrayList<PendingEvent>(rows.size());
        for (var row : rows) {
            if (row.event() != null) {
                events.add(row.event());
            } else {
                park(row);
            }
        }
        return events;
    }

    private void park(Row row) {
        log.warn("Outbox row {} parked: {}", row.at().id(), row.unreadable());
        jdbc.sql("update outbox set last_error = ?, parked_at = clock_timestamp() where id = ?")
                .params(row.unreadable(), row.at().id())
                .update();
    }

    /** Marks events of the set-aside path published; the position covers the others. */
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
     * instead of retried forever. Otherwise it is set aside ({@code retry_since}): the position moves past it, and the
     * set-aside path retries it ({@link #claimSetAside}). The error text is sanitised (no control characters, bounded)
     * so that recording a failure cannot fail itself.
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
        jdbc.sql("""
                        update outbox set attempts = attempts + 1, last_error = ?, retry_since = coalesce(retry_since, ?)
                        where id = ?""").params(reason, Timestamp.from(at), event.id()).update();
        return false;
    }

    static String sanitise(String error) {
        var text = String.valueOf(error).replaceAll("[\\p{Cc}\\p{Cs}]", "?");
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    /** Events written and neither published nor parked: after the position, or set aside. */
    long countPending() {
        return jdbc.sql("""
                        select (select count(*) from outbox o, outbox_position p
                                where (o.tx, o.id) > (p.tx, p.last_id)
                                  and o.published_at is null and o.parked_at is null and o.retry_since is null)
                             + (select count(*) from outbox
                                where retry_since is not null and published_at is null and parked_at is null)""").query(Long.class).single();
    }

    long countParked() {
        return jdbc.sql("select count(*) from outbox where parked_at is not null")
                .query(Long.class)
                .single();
    }

    /** Deletes published rows written before {@code cutoff}, and the records of moves older than it but the last. */
    int deletePublishedBefore(Instant cutoff) {
        int deleted = jdbc.sql("""
                        delete from outbox o using outbox_position p
                        where o.created_at < ? and o.parked_at is null
                          and (o.published_at is not null
                               or (o.retry_since is null and (o.tx, o.id) <= (p.tx, p.last_id)))""").param(Timestamp.from(cutoff)).update();
        jdbc.sql("""
                        delete from outbox_publication u using outbox_position p
                        where u.published_at < ? and (u.tx, u.last_id) < (p.tx, p.last_id)""").param(Timestamp.from(cutoff)).update();
        return deleted;
    }

    /** A row read: its position and event, or why it cannot be read; neither if it is settled already. */
    private record Row(Position at, PendingEvent event, String unreadable) {}

    private Row row(ResultSet rs, int rowNum) throws SQLException {
        long id = rs.getLong("id");
        var at = new Position(Long.parseUnsignedLong(rs.getString("tx_text")), id);
        if (rs.getBoolean("settled")) {
            return new Row(at, null, null);
        }
        var text = rs.getString("attributes");
        Map<String, OutboxMessage.Attribute> attributes;
        try {
            attributes = attributes(text);
        } catch (RuntimeException e) {
            return new Row(at, null, sanitise("Unreadable attributes " + text + ": " + e.getMessage()));
        }
        return new Row(
                at,
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
