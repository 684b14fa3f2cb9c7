package io.decoupled.shipping.shipment;

import io.decoupled.shipping.carrier.Carrier;
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
 * Idempotent consumer: the event id is claimed in processed_event in the same transaction that records the
 * shipment and appends ShipmentDispatched to the outbox. SQS delivers at least once; a redelivered or
 * duplicated message finds its event id claimed and creates no second shipment and no second event. Two
 * deliveries racing each other both book the carrier (idempotently, keyed by event id), but only one commits.
 *
 * <p>Cancellation saga (docs/saga.md): an order cancelled before it was dispatched is never shipped, even when
 * its OrderPlaced arrives after the OrderCancelled or while the carrier is still booking. The dispatch decision
 * is taken under the order's lock and looks for a remembered cancellation first ({@link ShipmentCancellations}).
 */
@Service
class ShipmentService {
    private static final Logger log = LoggerFactory.getLogger(ShipmentService.class);

    enum Outcome {
        SHIPPED,
        DUPLICATE,
        CANCELLED_BEFORE_DISPATCH
    }

    private final ShipmentRepository shipments;
    private final Carrier carrier;
    private final Outbox outbox;
    private final DeliveryConfirmations deliveries;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;

    ShipmentService(
            ShipmentRepository shipments,
            Carrier carrier,
            Outbox outbox,
            DeliveryConfirmations deliveries,
            TransactionTemplate transactions,
            JsonMapper json,
            Clock clock) {
        this.shipments = shipments;
        this.carrier = carrier;
        this.outbox = outbox;
        this.deliveries = deliveries;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    Outcome ship(OrderPlaced order) {
        // Cheap early exit for the common duplicate; the claim inside the transaction is what guarantees it.
        if (shipments.isProcessed(order.eventId())) {
            return Outcome.DUPLICATE;
        }
        // Cancelled before it was placed here (reordered delivery): do not even ask the carrier.
        if (shipments.isCancelled(order.orderId())) {
            return transactions.execute(tx -> notShipped(order));
        }
        // The slow external call happens outside the transaction: no connection or lock is held meanwhile.
        var booking = carrier.book(order.eventId().value(), order.orderId().value(), order.country());
        return transactions.execute(tx -> {
            shipments.lockOrder(order.orderId());
            if (shipments.isCancelled(order.orderId())) {
                // Cancelled while the carrier was booking: the cancellation won. A real carrier integration would
                // void the label here; the simulated one keeps nothing to void.
                log.info(
                        "Order {} was cancelled while its carrier booking ({}) was made; booking discarded",
                        order.orderId(),
                        booking.trackingNumber());
                return notShipped(order);
            }
            if (!shipments.markProcessed(order.eventId())) {
                return Outcome.DUPLICATE;
            }
            var shipmentId = ShipmentId.random();
            var now = clock.instant();
            if (!shipments.insertDispatched(shipmentId, order, booking, now)) {
                log.warn(
                        "Order {} already has a shipment; event {} is recorded as processed and ignored",
                        order.orderId(),
                        order.eventId());
                return Outcome.DUPLICATE;
            }
            var event = new ShipmentEvent.ShipmentDispatched(
                    UUID.randomUUID(),
                    order.orderId().value(),
                    shipmentId.value(),
                    booking.carrier(),
                    booking.trackingNumber(),
                    now);
            outbox.append(new OutboxMessage(
                    event.eventId(), event.orderId().toString(), event.eventType(), json.writeValueAsString(event)));
            // Before the commit on purpose: a failed send rolls the dispatch back (DeliveryConfirmations says why).
            deliveries.schedule(shipmentId, order.orderId());
            // One line per order, in the consumer span that continues the order's trace (same trace id as
            // order-service's).
            log.info(
                    "Order {} dispatched as shipment {} ({} {})",
                    order.orderId(),
                    shipmentId,
                    booking.carrier(),
                    booking.trackingNumber());
            return Outcome.SHIPPED;
        });
    }

    private Outcome notShipped(OrderPlaced order) {
        if (!shipments.markProcessed(order.eventId())) {
            return Outcome.DUPLICATE;
        }
        log.info(
                "Order {} is not shipped: it was cancelled before dispatch (event {})",
                order.orderId(),
                order.eventId());
        return Outcome.CANCELLED_BEFORE_DISPATCH;
    }
}
