package io.decoupled.shipping.shipment;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads one order's hops from the rows shipping writes anyway: the processed OrderPlaced event (received), the
 * shipment (dispatched, delivered), a cancellation, and the outbox rows of its FIFO events (committed, published).
 * Outbox rows age out with the retention job; the shipment row stays.
 */
@Repository
class ShipmentPathRepository {
    private final JdbcClient jdbc;

    ShipmentPathRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    ShipmentPath find(UUID orderId) {
        var hops = new ArrayList<ShipmentPath.Hop>();
        jdbc.sql("""
                        select p.processed_at, s.event_id, s.dispatched_at, s.delivered_at, s.carrier, s.tracking_number
                        from shipment s join processed_event p on p.event_id = s.event_id where s.order_id = ?""").param(orderId).query(rs -> {
            hops.add(new ShipmentPath.Hop(
                    "received by shipping",
                    rs.getTimestamp(1).toInstant(),
                    "OrderPlaced " + rs.getObject(2, UUID.class)));
            String parcel = rs.getString(5) + " " + rs.getString(6);
            hops.add(new ShipmentPath.Hop("shipped", rs.getTimestamp(3).toInstant(), parcel));
            Timestamp delivered = rs.getTimestamp(4);
            if (delivered != null) {
                hops.add(new ShipmentPath.Hop("delivered", delivered.toInstant(), parcel));
            }
        });
        jdbc.sql("select cancelled_at, event_id from cancellation where order_id = ?")
                .param(orderId)
                .query(rs -> {
                    hops.add(new ShipmentPath.Hop(
                            "cancelled before dispatch",
                            rs.getTimestamp(1).toInstant(),
                            "OrderCancelled " + rs.getObject(2, UUID.class)));
                });
        jdbc.sql("select event_type, event_id, created_at, published_at from outbox where group_id = ? order by id")
                .param(orderId.toString())
                .query(rs -> {
                    String event = rs.getString(1) + " " + rs.getObject(2, UUID.class);
                    hops.add(new ShipmentPath.Hop(
                            "FIFO event committed", rs.getTimestamp(3).toInstant(), event));
                    Timestamp published = rs.getTimestamp(4);
                    if (published != null) {
                        hops.add(new ShipmentPath.Hop("FIFO event published", published.toInstant(), event));
                    }
                });
        hops.sort(Comparator.comparing(ShipmentPath.Hop::at));
        return new ShipmentPath(orderId, List.copyOf(hops));
    }
}
