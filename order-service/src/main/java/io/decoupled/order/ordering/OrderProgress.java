package io.decoupled.order.ordering;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves an order forward when it ships or is delivered, and applies shipping-service's answer to a cancellation
 * request (the cancellation saga, docs/saga.md): the one entry point other features use to change an order's
 * status. Forward-only, so a stale update (dispatched after delivered) or a repeat changes nothing; each decision is
 * taken under the order's row lock by {@link CancellationSaga} or {@link OrderStatus#canAdvanceTo}.
 */
@Component
public class OrderProgress {
    private final OrderRepository orders;
    private final MeterRegistry meters;

    OrderProgress(OrderRepository orders, MeterRegistry meters) {
        this.orders = orders;
        this.meters = meters;
    }

    /** What an update did to the order. */
    public enum Outcome {
        /** The order moved to the new status. */
        APPLIED,
        /** The status stayed, and the history records the message and its reason. */
        NOTED,
        /** The order is already there or further along: a repeated or late update. */
        STALE,
        /** The order was cancelled before it shipped; the update is recorded but does not revive it. */
        CANCELLED,
        /** An answer to a cancellation nobody asked for (the order's state contradicts it): recorded, ignored. */
        UNEXPECTED,
        /** No such order here. */
        UNKNOWN_ORDER
    }

    @Transactional
    public Outcome advance(OrderId id, OrderStatus target, UUID causeEventId, Instant at) {
        var current = orders.lockStatus(id);
        if (current.isEmpty()) {
            return Outcome.UNKNOWN_ORDER;
        }
        if (current.get() == OrderStatus.CANCELLED) {
            return Outcome.CANCELLED;
        }
        if (!current.get().canAdvanceTo(target)) {
            return Outcome.STALE;
        }
        // The parcel left before shipping saw the cancellation: shipping will refuse it; the order follows the parcel.
        var note =
                current.get() == OrderStatus.CANCELLING ? "the parcel left while the cancellation was pending" : null;
        orders.updateStatus(id, target, causeEventId, at, note);
        return Outcome.APPLIED;
    }

    /** Shipping cancelled the shipment before dispatch: a pending cancellation ends as CANCELLED. */
    @Transactional
    public Outcome shipmentCancelled(OrderId id, UUID causeEventId, String reason, Instant at) {
        var current = orders.lockStatus(id);
        if (current.isEmpty()) {
            return Outcome.UNKNOWN_ORDER;
        }
        return apply(
                id,
                CancellationSaga.shipmentCancelled(current.get()),
                causeEventId,
                at,
                "cancelled: shipping-service confirmed (" + reason + ")",
                "cancelled");
    }

    /**
     * Shipping refused the cancellation because the parcel had left; {@code shipmentStatus} (SHIPPED or DELIVERED)
     * is where the shipment was then. The order returns to its shipping status, with the reason in its history.
     */
    @Transactional
    public Outcome cancellationRefused(
            OrderId id, OrderStatus shipmentStatus, UUID causeEventId, String reason, Instant at) {
        var current = orders.lockStatus(id);
        if (current.isEmpty()) {
            return Outcome.UNKNOWN_ORDER;
        }
        return apply(
                id,
                CancellationSaga.cancellationRefused(current.get(), shipmentStatus),
                causeEventId,
                at,
                "cancellation refused by shipping-service: " + reason,
                "refused");
    }

    private Outcome apply(
            OrderId id, CancellationSaga.Decision decision, UUID causeEventId, Instant at, String note, String answer) {
        var outcome = switch (decision.kind()) {
            case MOVE -> {
                orders.updateStatus(id, decision.target(), causeEventId, at, note);
                yield Outcome.APPLIED;
            }
            case NOTE -> {
                orders.note(id, decision.target(), causeEventId, at, note);
                yield Outcome.NOTED;
            }
            case REPEAT -> Outcome.STALE;
            case UNEXPECTED -> Outcome.UNEXPECTED;
            case TOO_LATE -> throw new IllegalStateException("an answer is never too late: " + decision);
        };
        if (outcome == Outcome.APPLIED || outcome == Outcome.NOTED) {
            // The saga's outcomes for the dashboard: how many cancellations ended which way.
            meters.counter("order.cancellations", "outcome", answer).increment();
        }
        return outcome;
    }
}
