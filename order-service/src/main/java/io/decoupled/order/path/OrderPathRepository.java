package io.decoupled.order.path;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads one order's hops from the rows the features write anyway (orders, outbox, processed_shipment_events,
 * order_status_history), so the path costs no extra writes on the hot path. Outbox rows are removed by the
 * retention job, so an old order's path can lack its publication hops; the order row and history stay.
 */
@Repository
class OrderPathRepository {
    /** W3C traceparent: version-traceid-parentid-flags; the trace id is what every service's spans share. */
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    private final JdbcClient jdbc;

    OrderPathRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<OrderPath> find(UUID orderId) {
        var placed = jdbc.sql("select placed_at from orders where id = ?")
                .param(orderId)
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional();
        if (placed.isEmpty()) {
            return Optional.empty();
        }
        var hops = new ArrayList<OrderPath.Hop>();
        hops.add(new OrderPath.Hop("HTTP accepted", placed.get(), "POST /orders"));
        String[] traceId = {null};
        jdbc.sql(
                        "select event_type, event_id, created_at, published_at, parked_at, attributes->'traceparent'->>'value' from outbox_status where aggregate_id = ? order by id")
                .param(orderId.toString())
                .query(rs -> {
                    String event = rs.getString(1) + " " + rs.getObject(2, UUID.class);
                    hops.add(new OrderPath.Hop("outbox committed", instant(rs.getTimestamp(3)), event));
                    if (rs.getTimestamp(4) != null) {
                        hops.add(new OrderPath.Hop("published to SNS", instant(rs.getTimestamp(4)), event));
                    }
                    if (rs.getTimestamp(5) != null) {
                        hops.add(new OrderPath.Hop("parked (SNS refused it)", instant(rs.getTimestamp(5)), event));
                    }
                    var traceparent = rs.getString(6);
                    var trace = traceparent == null ? null : TRACEPARENT.matcher(traceparent);
                    if (traceId[0] == null && trace != null && trace.matches()) {
                        traceId[0] = trace.group(1);
                    }
                });
        jdbc.sql("select event_type, event_id, outcome, processed_at from processed_shipment_events where order_id = ?")
                .param(orderId)
                .query(rs -> {
                    hops.add(new OrderPath.Hop(
                            "FIFO update applied",
                            instant(rs.getTimestamp(4)),
                            rs.getString(1) + " " + rs.getObject(2, UUID.class) + " (" + rs.getString(3) + ")"));
                });
        // A status caused by a shipment event carries the event's own time (when shipping shipped or delivered),
        // so it can come before the "FIFO update applied" hop of the same event.
        jdbc.sql(
                        "select status, changed_at, note, cause_event_id from order_status_history where order_id = ? order by id")
                .param(orderId)
                .query(rs -> {
                    var cause = rs.getObject(4, UUID.class);
                    var detail = (cause == null ? "" : "as of event " + cause)
                            + (rs.getString(3) == null ? "" : " " + rs.getString(3));
                    hops.add(new OrderPath.Hop(
                            "status " + rs.getString(1), instant(rs.getTimestamp(2)), detail.strip()));
                });
        // A stable sort keeps the insertion order of equal times (accepted before committed before status).
        hops.sort(Comparator.comparing(OrderPath.Hop::at));
        return Optional.of(new OrderPath(orderId, traceId[0], List.copyOf(hops)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp.toInstant();
    }
}
