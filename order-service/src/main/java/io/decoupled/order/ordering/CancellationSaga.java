package io.decoupled.order.ordering;

import java.util.Objects;

/**
 * Saga (orchestrated from this service, docs/saga.md): the cancellation of a SHIP order is a request shipping-service
 * answers, because only shipping knows whether the parcel has left. This is the state machine alone, pure and
 * total: every (status, message) pair has an answer, so that duplicates and any order of arrival are harmless.
 * {@link OrderService} and {@link OrderProgress} apply its decisions under the order's row lock.
 */
final class CancellationSaga {
    private CancellationSaga() {}

    /** What a message does to an order. */
    enum Kind {
        /** The status changes to {@code target}; a history entry records why. */
        MOVE,
        /** The status stays; a history entry records the message (a refusal after the dispatch it names). */
        NOTE,
        /** Already done: a repeated request or answer. Nothing changes. */
        REPEAT,
        /** The cancel request comes too late: the order has shipped (409 to the caller). */
        TOO_LATE,
        /** An answer that contradicts the order's state (no request was pending); recorded, ignored, logged. */
        UNEXPECTED
    }

    record Decision(Kind kind, OrderStatus target) {
        Decision {
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.MOVE || kind == Kind.NOTE) != (target != null)) {
                throw new IllegalArgumentException(kind + " needs a target exactly when it writes history");
            }
        }

        static Decision move(OrderStatus target) {
            return new Decision(Kind.MOVE, target);
        }

        static Decision note(OrderStatus current) {
            return new Decision(Kind.NOTE, current);
        }

        static Decision of(Kind kind) {
            return new Decision(kind, null);
        }
    }

    /** POST /orders/{id}/cancel. DIGITAL orders cancel at once: nothing physical can have left. */
    static Decision requested(OrderStatus current, Fulfillment fulfillment) {
        return switch (current) {
            case PLACED ->
                Decision.move(fulfillment == Fulfillment.SHIP ? OrderStatus.CANCELLING : OrderStatus.CANCELLED);
            case CANCELLING, CANCELLED -> Decision.of(Kind.REPEAT);
            case SHIPPED, DELIVERED -> Decision.of(Kind.TOO_LATE);
        };
    }

    /** Shipping's ShipmentCancelled: nothing had been dispatched and nothing will be. */
    static Decision shipmentCancelled(OrderStatus current) {
        return switch (current) {
            case CANCELLING -> Decision.move(OrderStatus.CANCELLED);
            case CANCELLED -> Decision.of(Kind.REPEAT);
            case PLACED, SHIPPED, DELIVERED -> Decision.of(Kind.UNEXPECTED);
        };
    }

    /**
     * Shipping's CancellationRefused: the parcel had left. {@code shipmentStatus} is SHIPPED or DELIVERED, the
     * shipment's state when shipping decided; the order returns to it, or keeps a state further along.
     */
    static Decision cancellationRefused(OrderStatus current, OrderStatus shipmentStatus) {
        if (!shipmentStatus.shipped()) {
            throw new IllegalArgumentException("a refusal names a shipped state, not " + shipmentStatus);
        }
        return switch (current) {
            case CANCELLING -> Decision.move(shipmentStatus);
            // The dispatch event came first (FIFO per order) and already moved the order: record the refusal's reason.
            case SHIPPED, DELIVERED ->
                current.canAdvanceTo(shipmentStatus) ? Decision.move(shipmentStatus) : Decision.note(current);
            case PLACED, CANCELLED -> Decision.of(Kind.UNEXPECTED);
        };
    }
}
