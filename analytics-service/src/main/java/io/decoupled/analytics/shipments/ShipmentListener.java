package io.decoupled.analytics.shipments;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The second subscriber of the shipment-events FIFO topic. The queue is FIFO, so events of one order arrive
 * in order; SNS FIFO deduplicates on event id within five minutes and the table dedupes beyond that. Event types
 * other than the two milestones (the cancellation saga's answers, or any type added later) are counted and
 * acknowledged: throwing would hold the order's whole FIFO group until the message reached the DLQ.
 */
@Component
class ShipmentListener {
    private final DeliveryTimes deliveryTimes;
    private final Counter other;

    ShipmentListener(DeliveryTimes deliveryTimes, MeterRegistry registry) {
        this.deliveryTimes = deliveryTimes;
        this.other = Counter.builder("analytics.shipments.other")
                .description(
                        "Shipment events that are not milestones (ShipmentCancelled, CancellationRefused, newer types)")
                .register(registry);
    }

    @SqsListener(Topology.ANALYTICS_SHIPMENTS)
    void onShipmentEvent(ShipmentEvent event) {
        if (event.eventType() != null && !event.milestone()) {
            other.increment();
            return;
        }
        deliveryTimes.record(event.requireComplete());
    }
}
