package io.decoupled.order.shipment;

import io.decoupled.order.ordering.OrderId;
import io.decoupled.order.ordering.OrderProgress;
import io.decoupled.order.ordering.OrderStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Idempotent consumer. SQS delivers at least once and SNS FIFO deduplicates only within five minutes, so the same
 * update can arrive twice; applying it twice would write a second history entry. The event id is recorded in the
 * same transaction as the status change, so a repeat is recognised and skipped, and a crash leaves neither behind.
 */
@Service
class ShipmentUpdates {
    private static final Logger log = LoggerFactory.getLogger(ShipmentUpdates.class);

    private final ProcessedShipmentEvents processed;
    private final OrderProgress progress;
    private final MeterRegistry meters;
    private final Clock clock;

    ShipmentUpdates(ProcessedShipmentEvents processed, OrderProgress progress, MeterRegistry meters, Clock clock) {
        this.processed = processed;
        this.progress = progress;
        this.meters = meters;
        this.clock = clock;
    }

    /** What happened to one update; also the {@code outcome} tag of the {@code shipment.updates} counter. */
    enum Outcome {
        APPLIED,
        NOTED,
        STALE,
        CANCELLED,
        UNEXPECTED,
        UNKNOWN_ORDER,
        UNKNOWN_TYPE,
        DUPLICATE
    }

    @Transactional
    Outcome apply(ShipmentEvent event) {
        // A message without these cannot be applied or deduplicated; failing sends it to the DLQ after redrives.
        Objects.requireNonNull(event.eventId(), "eventId");
        Objects.requireNonNull(event.orderId(), "orderId");
        var outcome = decide(event);
        meters.counter("shipment.updates", "outcome", outcome.name()).increment();
        if (outcome == Outcome.UNEXPECTED) {
            log.warn(
                    "Shipment event {} ({}) for order {} answers a cancellation the order is not waiting for; ignored",
                    event.eventId(),
                    event.eventType(),
                    event.orderId());
        } else if (outcome != Outcome.APPLIED && outcome != Outcome.NOTED && outcome != Outcome.DUPLICATE) {
            log.info(
                    "Shipment event {} ({}) for order {} changed nothing: {}",
                    event.eventId(),
                    event.eventType(),
                    event.orderId(),
                    outcome);
        }
        return outcome;
    }

    private Outcome decide(ShipmentEvent event) {
        if (!processed.firstSighting(event, clock.instant())) {
            return Outcome.DUPLICATE;
        }
        var orderId = new OrderId(event.orderId());
        var at = event.occurredAt() != null ? event.occurredAt() : clock.instant();
        var result = switch (String.valueOf(event.eventType())) {
            case ShipmentEvent.DISPATCHED -> progress.advance(orderId, OrderStatus.SHIPPED, event.eventId(), at);
            case ShipmentEvent.DELIVERED -> progress.advance(orderId, OrderStatus.DELIVERED, event.eventId(), at);
            case ShipmentEvent.CANCELLED -> progress.shipmentCancelled(orderId, event.eventId(), reason(event), at);
            case ShipmentEvent.CANCELLATION_REFUSED ->
                progress.cancellationRefused(orderId, shippedStatus(event), event.eventId(), reason(event), at);
            default -> null;
        };
        var outcome = result == null
                ? Outcome.UNKNOWN_TYPE
                : switch (result) {
                    case APPLIED -> Outcome.APPLIED;
                    case NOTED -> Outcome.NOTED;
                    case STALE -> Outcome.STALE;
                    case CANCELLED -> Outcome.CANCELLED;
                    case UNEXPECTED -> Outcome.UNEXPECTED;
                    case UNKNOWN_ORDER -> Outcome.UNKNOWN_ORDER;
                };
        processed.recordOutcome(event.eventId(), outcome.name());
        return outcome;
    }

    /** A refusal means the parcel left; DELIVERED is the only state further along than that. */
    private static OrderStatus shippedStatus(ShipmentEvent event) {
        return "DELIVERED".equals(event.shipmentStatus()) ? OrderStatus.DELIVERED : OrderStatus.SHIPPED;
    }

    private static String reason(ShipmentEvent event) {
        var reason = event.reason() == null || event.reason().isBlank()
                ? "no reason given"
                : event.reason().strip();
        // The history shows it; a short prefix is enough and keeps a runaway field out of the database.
        return reason.length() > 300 ? reason.substring(0, 300) + "…" : reason;
    }
}
