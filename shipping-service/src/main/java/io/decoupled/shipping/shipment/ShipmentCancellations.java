package io.decoupled.shipping.shipment;

import io.decoupled.shipping.outbox.Outbox;
import io.decoupled.shipping.outbox.OutboxMessage;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Saga participant: answers order-service's cancellation request (OrderCancelled of a SHIP order). The dispatch
 * is the saga's pivot: before it, shipping cancels and remembers the cancellation, so that a late or reordered
 * OrderPlaced is never shipped; after it, the parcel has left and shipping refuses. Either answer goes to the
 * outbox in the transaction that decided it, under the order's lock (no dispatch can slip in between), and the
 * request's event id is claimed there too, so a duplicated request is answered once.
 */
@Service
class ShipmentCancellations {
    private static final Logger log = LoggerFactory.getLogger(ShipmentCancellations.class);

    enum Outcome {
        CANCELLED,
        REFUSED,
        DUPLICATE
    }

    private final ShipmentRepository shipments;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;

    ShipmentCancellations(
            ShipmentRepository shipments,
            Outbox outbox,
            TransactionTemplate transactions,
            JsonMapper json,
            Clock clock) {
        this.shipments = shipments;
        this.outbox = outbox;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    Outcome cancel(OrderCancelled request) {
        return transactions.execute(tx -> {
            shipments.lockOrder(request.orderId());
            if (!shipments.markProcessed(request.eventId())) {
                return Outcome.DUPLICATE;
            }
            var now = clock.instant();
            var existing = shipments.findByOrder(request.orderId());
            if (existing.isPresent()) {
                var shipment = existing.get();
                var reason = "the parcel was dispatched at " + shipment.dispatchedAt() + " with " + shipment.carrier()
                        + " (tracking " + shipment.trackingNumber() + ")";
                append(new ShipmentEvent.CancellationRefused(
                        UUID.randomUUID(),
                        request.orderId().value(),
                        request.eventId().value(),
                        shipment.shipmentId(),
                        shipment.status(),
                        shipment.carrier(),
                        shipment.trackingNumber(),
                        reason,
                        now));
                log.info("Cancellation {} of order {} refused: {}", request.eventId(), request.orderId(), reason);
                return Outcome.REFUSED;
            }
            // A second request for an order cancelled earlier gets the same answer; the first one stays remembered.
            boolean first = shipments.insertCancellation(request.orderId(), request.eventId(), now);
            var reason = first
                    ? "nothing had been dispatched; the order will not be shipped"
                    : "the order had already been cancelled here; it will not be shipped";
            append(new ShipmentEvent.ShipmentCancelled(
                    UUID.randomUUID(),
                    request.orderId().value(),
                    request.eventId().value(),
                    reason,
                    now));
            log.info("Cancellation {} of order {} accepted: {}", request.eventId(), request.orderId(), reason);
            return Outcome.CANCELLED;
        });
    }

    private void append(ShipmentEvent event) {
        outbox.append(new OutboxMessage(
                event.eventId(), event.orderId().toString(), event.eventType(), json.writeValueAsString(event)));
    }
}
