package io.decoupled.analytics.shipments;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.decoupled.topology.Topology;
import org.springframework.stereotype.Component;

/**
 * The second subscriber of the shipment-events FIFO topic. The queue is FIFO, so events of one order arrive
 * in order; SNS FIFO deduplicates on event id within five minutes and the table dedupes beyond that.
 */
@Component
class ShipmentListener {
    private final DeliveryTimes deliveryTimes;

    ShipmentListener(DeliveryTimes deliveryTimes) {
        this.deliveryTimes = deliveryTimes;
    }

    @SqsListener(Topology.ANALYTICS_SHIPMENTS)
    void onShipmentEvent(ShipmentEvent event) {
        deliveryTimes.record(event.requireComplete());
    }
}
