package io.decoupled.shipping.shipment;

import io.decoupled.shipping.outbox.Outbox;
import io.decoupled.shipping.outbox.OutboxMessage;
import java.time.Clock;
import java.util.UUID;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for the carrier's delivery notifications: shipments dispatched longer ago than the configured
 * delay become delivered, and ShipmentDelivered goes to the outbox in the same transaction. Rows are claimed
 * with SKIP LOCKED so several instances never deliver the same shipment twice.
 */
@Component
class DeliverySimulator {
    private final ShipmentRepository shipments;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final DeliveryProperties settings;
    private final JsonMapper json;
    private final Clock clock;

    DeliverySimulator(ShipmentRepository shipments, Outbox outbox, TransactionTemplate transactions, DeliveryProperties settings,
                      JsonMapper json, Clock clock) {
        this.shipments = shipments;
        this.outbox = outbox;
        this.transactions = transactions;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${shipping.delivery.poll-interval:1s}")
    void deliverDue() {
        transactions.executeWithoutResult(tx -> {
            var now = clock.instant();
            for (var shipment : shipments.claimDispatchedBefore(now.minus(settings.after()), 100)) {
                shipments.markDelivered(shipment.shipmentId(), now);
                var event = new ShipmentEvent.ShipmentDelivered(UUID.randomUUID(), shipment.orderId(), shipment.shipmentId(),
                        shipment.carrier(), shipment.trackingNumber(), now);
                outbox.append(new OutboxMessage(event.eventId(), event.orderId().toString(), event.eventType(), json.writeValueAsString(event)));
            }
        });
    }
}
