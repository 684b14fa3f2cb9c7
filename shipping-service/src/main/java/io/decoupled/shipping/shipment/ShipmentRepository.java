package io.decoupled.shipping.shipment;

import io.decoupled.shipping.carrier.CarrierBooking;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The shipment, cancellation and processed_event tables. */
@Repository
class ShipmentRepository {
    private final JdbcClient jdbc;

    ShipmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean isProcessed(EventId eventId) {
        return jdbc.sql("select exists (select 1 from processed_event where event_id = ?)")
                .param(eventId.value())
                .query(Boolean.class)
                .single();
    }

    /** Claims the event id; false when another delivery of the same event got there first. */
    boolean markProcessed(EventId eventId) {
        return jdbc.sql("insert into processed_event (event_id) values (?) on conflict do nothing")
                        .param(eventId.value())
                        .update()
                == 1;
    }

    /** False when the order already has a shipment (the same order in a different event). */
    boolean insertDispatched(ShipmentId id, OrderPlaced order, CarrierBooking booking, Instant at) {
        return jdbc.sql("""
                        insert into shipment (id, order_id, event_id, customer_id, country, carrier, tracking_number, status, dispatched_at)
                        values (?, ?, ?, ?, ?, ?, ?, 'DISPATCHED', ?)
                        on conflict (order_id) do nothing""")
                        .params(
                                id.value(),
                                order.orderId().value(),
                                order.eventId().value(),
                                order.customerId(),
                                order.country(),
                                booking.carrier(),
                                booking.trackingNumber(),
                                Timestamp.from(at))
                        .update()
                == 1;
    }

    /**
     * Serialises the decisions about one order (ship it, cancel it) until the transaction ends. Without it a
     * cancellation and a dispatch committing at the same moment would each miss the other's uncommitted row, and
     * the order would be both cancelled and shipped. A transaction-scoped advisory lock, because the row that
     * would carry the lock may not exist yet; two orders whose keys collide merely wait for each other.
     */
    void lockOrder(OrderId orderId) {
        var id = orderId.value();
        jdbc.sql("select pg_advisory_xact_lock(?)")
                .param(id.getMostSignificantBits() ^ id.getLeastSignificantBits())
                .query((rs, n) -> 1)
                .list();
    }

    boolean isCancelled(OrderId orderId) {
        return jdbc.sql("select exists (select 1 from cancellation where order_id = ?)")
                .param(orderId.value())
                .query(Boolean.class)
                .single();
    }

    /** Remembers the cancellation; false when an earlier request had already cancelled the order. */
    boolean insertCancellation(OrderId orderId, EventId eventId, Instant at) {
        return jdbc.sql(
                                "insert into cancellation (order_id, event_id, cancelled_at) values (?, ?, ?) on conflict (order_id) do nothing")
                        .params(orderId.value(), eventId.value(), Timestamp.from(at))
                        .update()
                == 1;
    }

    record Existing(UUID shipmentId, String status, String carrier, String trackingNumber, Instant dispatchedAt) {}

    Optional<Existing> findByOrder(OrderId orderId) {
        return jdbc.sql("select id, status, carrier, tracking_number, dispatched_at from shipment where order_id = ?")
                .param(orderId.value())
                .query((rs, n) -> new Existing(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant()))
                .optional();
    }

    record InTransit(UUID shipmentId, UUID orderId, String carrier, String trackingNumber) {}

    /** Moves a dispatched shipment to DELIVERED; empty when there is no such shipment or it is delivered already. */
    Optional<InTransit> markDeliveredIfDispatched(UUID shipmentId, Instant at) {
        return jdbc.sql("""
                        update shipment set status = 'DELIVERED', delivered_at = ?
                        where id = ? and status = 'DISPATCHED'
                        returning id, order_id, carrier, tracking_number""")
                .params(Timestamp.from(at), shipmentId)
                .query((rs, n) -> new InTransit(
                        rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)))
                .optional();
    }

    boolean exists(UUID shipmentId) {
        return jdbc.sql("select exists (select 1 from shipment where id = ?)")
                .param(shipmentId)
                .query(Boolean.class)
                .single();
    }
}
