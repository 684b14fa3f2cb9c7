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
    enum Outcome { APPLIED, STALE, CANCELLED, UNKNOWN_ORDER, UNKNOWN_TYPE, DUPLICATE }

    @Transactional
    Outcome apply(ShipmentEvent event) {
        // A message without these cannot be applied or deduplicated; failing sends it to the DLQ after redrives.
        Objects.requireNonNull(event.eventId(), "eventId");
        Objects.requireNonNull(event.orderId(), "orderId");
        var outcome = decide(event);
        meters.counter("shipment.updates", "outcome", outcome.name()).increment();
        if (outcome != Outcome.APPLIED && outcome != Outcome.DUPLICATE) {
            log.info("Shipment event {} ({}) for order {} changed nothing: {}", event.eventId(), event.eventType(), event.orderId(), outcome);
        }
        return outcome;
    }

    private Outcome decide(ShipmentEvent event) {
        if (!processed.firstSighting(event, clock.instant())) {
            return Outcome.DUPLICATE;
        }
        var target = switch (String.valueOf(event.eventType())) {
            case ShipmentEvent.DISPATCHED -> OrderStatus.SHIPPED;
            case ShipmentEvent.DELIVERED -> OrderStatus.DELIVERED;
            default -> null;
        };
        Outcome outcome;
        if (target == null) {
            outcome = Outcome.UNKNOWN_TYPE;
        } else {
            var at = event.occurredAt() != null ? event.occurredAt() : clock.instant();
            outcome = switch (progress.advance(new OrderId(event.orderId()), target, event.eventId(), at)) {
                case APPLIED -> Outcome.APPLIED;
                case STALE -> Outcome.STALE;
                case CANCELLED -> Outcome.CANCELLED;
                case UNKNOWN_ORDER -> Outcome.UNKNOWN_ORDER;
            };
        }
        processed.recordOutcome(event.eventId(), outcome.name());
        return outcome;
    }
}
