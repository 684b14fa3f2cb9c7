package io.decoupled.shipping.shipment;

import io.decoupled.shipping.carrier.CarrierBooking;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The shipment and processed_event tables. */
@Repository
class ShipmentRepository {
    private final JdbcClient jdbc;

    ShipmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean isProcessed(EventId eventId) {
        return jdbc.sql("select exists (select 1 from processed_event where event_id = ?)").param(eventId.value()).query(Boolean.class).single();
    }

    /** Claims the event id; false when another delivery of the same event got there first. */
    boolean markProcessed(EventId eventId) {
        return jdbc.sql("insert into processed_event (event_id) values (?) on conflict do nothing").param(eventId.value()).update() == 1;
    }

    /** False when the order already has a shipment (the same order in a different event). */
    boolean insertDispatched(ShipmentId id, OrderPlaced order, CarrierBooking booking, Instant at) {
        return jdbc.sql("""
                        insert into shipment (id, order_id, event_id, customer_id, country, carrier, tracking_number, status, dispatched_at)
                        values (?, ?, ?, ?, ?, ?, ?, 'DISPATCHED', ?)
                        on conflict (order_id) do nothing""")
                .params(id.value(), order.orderId().value(), order.eventId().value(), order.customerId(), order.country(),
                        booking.carrier(), booking.trackingNumber(), Timestamp.from(at))
                .update() == 1;
    }

    record InTransit(UUID shipmentId, UUID orderId, String carrier, String trackingNumber) {
    }

    /** Locks shipments dispatched before the cutoff, skipping rows another instance is delivering. */
    List<InTransit> claimDispatchedBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                        select id, order_id, carrier, tracking_number from shipment
                        where status = 'DISPATCHED' and dispatched_at < ?
                        order by dispatched_at limit ? for update skip locked""")
                .params(Timestamp.from(cutoff), limit)
                .query((rs, n) -> new InTransit(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)))
                .list();
    }

    void markDelivered(UUID shipmentId, Instant at) {
        jdbc.sql("update shipment set status = 'DELIVERED', delivered_at = ? where id = ?").params(Timestamp.from(at), shipmentId).update();
    }
}
