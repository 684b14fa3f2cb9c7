package io.decoupled.order.ordering;

/**
 * The life of an order. Progress only moves forward (PLACED, SHIPPED, DELIVERED); CANCELLED ends it. CANCELLING is a
 * SHIP order whose cancellation shipping-service has been asked about (docs/saga.md): it ranks with PLACED, so a
 * dispatch still moves it forward (the parcel leaving is what decides the answer: a refusal). The rank is what makes
 * a late or repeated shipment update harmless.
 */
public enum OrderStatus {
    PLACED(0),
    CANCELLING(0),
    SHIPPED(1),
    DELIVERED(2),
    CANCELLED(Integer.MAX_VALUE);

    private final int rank;

    OrderStatus(int rank) {
        this.rank = rank;
    }

    /** Whether moving from this status to {@code next} is shipment progress rather than a step back or a repeat. */
    public boolean canAdvanceTo(OrderStatus next) {
        return this != CANCELLED && next != CANCELLED && next != CANCELLING && next.rank > rank;
    }

    /** Whether the parcel has left, so that a cancellation can only be refused. */
    boolean shipped() {
        return this == SHIPPED || this == DELIVERED;
    }
}
