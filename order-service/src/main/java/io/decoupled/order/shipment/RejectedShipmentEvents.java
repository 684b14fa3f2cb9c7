package io.decoupled.order.shipment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where a shipment update that can never be applied is set aside, with its reason, instead of blocking its order's
 * FIFO group until the DLQ takes it. Everything written is sanitised first, so setting aside cannot fail on the same
 * bad data that made the update poison.
 */
@Repository
class RejectedShipmentEvents {
    private final JdbcClient jdbc;

    RejectedShipmentEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    void reject(String messageId, UUID eventId, UUID orderId, String body, String reason, Instant at) {
        jdbc.sql("""
                        insert into rejected_shipment_events (message_id, event_id, order_id, body, reason, rejected_at)
                        values (?, ?, ?, ?, ?, ?)""")
                .params(
                        FailureKind.sanitise(messageId, 128),
                        eventId,
                        orderId,
                        FailureKind.sanitise(body, 10_000),
                        FailureKind.sanitise(reason, 500),
                        Timestamp.from(at))
                .update();
    }

    long count() {
        return jdbc.sql("select count(*) from rejected_shipment_events")
                .query(Long.class)
                .single();
    }
}
