package io.decoupled.analytics.orders;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Order facts, each insert keyed by event id with {@code on conflict do nothing}: SNS and SQS deliver at least
 * once, so the same event may arrive twice and must count once.
 */
@Repository
class OrderFacts {
    private final JdbcTemplate jdbc;

    OrderFacts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return whether the event was new */
    boolean record(OrderEvent e) {
        return jdbc.update(
                        """
                insert into order_event (event_id, event_type, order_id, session_id, total, currency, country, occurred_at)
                values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (event_id) do nothing""",
                        e.eventId(),
                        e.eventType(),
                        e.orderId(),
                        e.sessionId(),
                        e.total(),
                        e.currency(),
                        e.country(),
                        Timestamp.from(e.occurredAt()))
                == 1;
    }

    /** @return whether the event was new */
    boolean recordHighValue(OrderEvent e) {
        return jdbc.update("""
                insert into high_value_order (event_id, order_id, total, currency, occurred_at)
                values (?, ?, ?, ?, ?) on conflict (event_id) do nothing""", e.eventId(), e.orderId(), e.total(), e.currency(), Timestamp.from(e.occurredAt())) == 1;
    }

    record HighValueOrders(long orders, BigDecimal total, BigDecimal largest) {}

    HighValueOrders highValueOrders() {
        return jdbc.queryForObject(
                "select count(*), coalesce(sum(total), 0), coalesce(max(total), 0) from high_value_order",
                (rs, i) -> new HighValueOrders(rs.getLong(1), rs.getBigDecimal(2), rs.getBigDecimal(3)));
    }

    /**
     * {@code cancellationsRequested} counts {@code OrderCancelled} events: for a SHIP order that is the cancellation
     * saga's request, which shipping may refuse (docs/contracts.md), so it is not a count of cancelled orders.
     */
    record OrderCounts(long placed, long cancellationsRequested, BigDecimal placedTotal) {}

    OrderCounts orderCounts() {
        return jdbc.queryForObject("""
                select count(*) filter (where event_type = 'OrderPlaced'), count(*) filter (where event_type = 'OrderCancelled'),
                       coalesce(sum(total) filter (where event_type = 'OrderPlaced'), 0)
                from order_event""", (rs, i) -> new OrderCounts(rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3)));
    }

    /** One hop of an order's path as analytics saw it: an event, when it happened and when it was counted here. */
    record PathHop(String hop, Instant at, String detail) {}

    /** The order's events analytics counted (order events and shipment events), by the time they were counted. */
    List<PathHop> path(String orderId) {
        return jdbc.query(
                """
                        select 'counted in analytics' as hop, recorded_at, event_type, event_id, occurred_at from order_event where order_id = ?
                        union all
                        select 'shipment counted in analytics', recorded_at, event_type, event_id, occurred_at from shipment_event where order_id = ?
                        order by 2""",
                (rs, n) -> new PathHop(
                        rs.getString(1),
                        rs.getTimestamp(2).toInstant(),
                        rs.getString(3) + " " + rs.getObject(4) + " (occurred "
                                + rs.getTimestamp(5).toInstant() + ")"),
                orderId,
                orderId);
    }
}
