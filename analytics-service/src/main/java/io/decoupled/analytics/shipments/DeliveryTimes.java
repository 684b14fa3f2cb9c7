package io.decoupled.analytics.shipments;

import java.sql.Timestamp;
import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Shipment milestones, deduplicated on event id in the same transaction that records them. */
@Repository
class DeliveryTimes {
    private final JdbcTemplate jdbc;

    DeliveryTimes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return whether the event was new */
    @Transactional
    boolean record(ShipmentEvent e) {
        int inserted = jdbc.update(
                """
                insert into shipment_event (event_id, event_type, shipment_id, order_id, occurred_at)
                values (?, ?, ?, ?, ?) on conflict (event_id) do nothing""", e.eventId(), e.eventType(), e.shipmentId(), e.orderId(), Timestamp.from(e.occurredAt()));
        if (inserted == 0) {
            return false;
        }
        var column = switch (e.eventType()) {
            case ShipmentEvent.DISPATCHED -> "dispatched_at";
            case ShipmentEvent.DELIVERED -> "delivered_at";
            default -> null;
        };
        if (column != null) {
            jdbc.update(
                    "insert into shipment (shipment_id, order_id, " + column + ") values (?, ?, ?) "
                            + "on conflict (shipment_id) do update set " + column + " = excluded." + column,
                    e.shipmentId(),
                    e.orderId(),
                    Timestamp.from(e.occurredAt()));
        }
        return true;
    }

    record Summary(long delivered, Duration average, Duration median, Duration p95) {}

    Summary summary() {
        return jdbc.queryForObject(
                """
                select count(*),
                       avg(extract(epoch from delivered_at - dispatched_at)),
                       percentile_cont(0.5) within group (order by extract(epoch from delivered_at - dispatched_at)),
                       percentile_cont(0.95) within group (order by extract(epoch from delivered_at - dispatched_at))
                from shipment where dispatched_at is not null and delivered_at is not null""",
                (rs, i) -> new Summary(
                        rs.getLong(1), seconds(rs.getObject(2)), seconds(rs.getObject(3)), seconds(rs.getObject(4))));
    }

    private static Duration seconds(Object value) {
        return value == null ? null : Duration.ofMillis(Math.round(((Number) value).doubleValue() * 1000));
    }
}
