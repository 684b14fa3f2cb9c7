package io.decoupled.order.shipment;

import io.awspring.cloud.sqs.annotation.SqsListener;
import org.springframework.stereotype.Component;

/**
 * FIFO consumer of shipment-updates.fifo. SNS FIFO groups messages by order id; Spring Cloud AWS hands a group's
 * messages to this listener one at a time, in order, and deletes each only after it returned. A failure leaves the
 * message (and the rest of its group) on the queue: later updates of that order wait rather than overtake it.
 */
@Component
class ShipmentUpdateListener {
    private final ShipmentUpdates updates;

    ShipmentUpdateListener(ShipmentUpdates updates) {
        this.updates = updates;
    }

    @SqsListener(queueNames = "${order.shipments.queue:shipment-updates.fifo}", id = "shipment-updates")
    void on(ShipmentEvent event) {
        updates.apply(event);
    }
}
