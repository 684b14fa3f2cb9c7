package io.decoupled.order.ordering;

/**
 * The life of an order. Progress only moves forward (PLACED, SHIPPED, DELIVERED); CANCELLED is only reachable
 * from PLACED and ends it. The rank is what makes a late or repeated shipment update harmless.
 */
public enum OrderStatus {
    PLACED(0), SHIPPED(1), DELIVERED(2), CANCELLED(Integer.MAX_VALUE);

    private final int rank;

    OrderStatus(int rank) {
        this.rank = rank;
    }

    /** Whether moving from this status to {@code next} is progress rather than a step back or a repeat. */
    public boolean canAdvanceTo(OrderStatus next) {
        return this != CANCELLED && next != CANCELLED && next.rank > rank;
    }
}
