package io.decoupled.order.shipment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Event ids already handled; the primary key turns a redelivery into a no-op insert. */
@Repository
class ProcessedShipmentEvents {
    private final JdbcClient jdbc;

    ProcessedShipmentEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the event as seen; false if it was seen before. */
    boolean firstSighting(ShipmentEvent event, Instant now) {
        return jdbc.sql("""
                        insert into processed_shipment_events (event_id, order_id, event_type, outcome, processed_at)
                        values (?, ?, ?, 'RECEIVED', ?) on conflict (event_id) do nothing""")
                        .params(event.eventId(), event.orderId(), event.eventType(), Timestamp.from(now))
                        .update()
                == 1;
    }

    void recordOutcome(UUID eventId, String outcome) {
        jdbc.sql("update processed_shipment_events set outcome = ? where event_id = ?")
                .params(outcome, eventId)
                .update();
    }
}
