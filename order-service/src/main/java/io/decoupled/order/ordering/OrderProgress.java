package io.decoupled.order.ordering;

import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves an order forward when it ships or is delivered: the one entry point other features use to change an
 * order's status. Forward-only, so a stale update (dispatched after delivered) or a repeat changes nothing.
 */
@Component
public class OrderProgress {
    private final OrderRepository orders;

    OrderProgress(OrderRepository orders) {
        this.orders = orders;
    }

    /** What an update did to the order. */
    public enum Outcome {
        /** The order moved to the new status. */
        APPLIED,
        /** The order is already there or further along: a repeated or late update. */
        STALE,
        /** The order was cancelled before it shipped; the update is recorded but does not revive it. */
        CANCELLED,
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
        orders.updateStatus(id, target, causeEventId, at);
        return Outcome.APPLIED;
    }
}
