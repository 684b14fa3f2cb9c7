package io.decoupled.topology;

/**
 * The SNS message attributes that order-service sets on every event and that the filter policies match.
 * Part of the wire contract: renaming one silently stops delivery to a filtered queue, so both sides use
 * these constants. {@code total} is sent with DataType {@code Number}, as numeric matching requires.
 */
public final class OrderEventAttributes {
    public static final String EVENT_TYPE = "eventType";
    public static final String FULFILLMENT = "fulfillment";
    public static final String TOTAL = "total";
    public static final String COUNTRY = "country";

    public static final String ORDER_PLACED = "OrderPlaced";
    public static final String ORDER_CANCELLED = "OrderCancelled";
    public static final String SHIP = "SHIP";
    public static final String DIGITAL = "DIGITAL";

    /** Orders at or above this total go to manual review (a numeric filter on the {@code total} attribute). */
    public static final int REVIEW_THRESHOLD = 1000;

    /**
     * The largest {@code total} a filter policy compares: SNS numeric matching covers -10⁹ to 10⁹. Past it the
     * {@code total >= 1000} filter would not match, and the highest-value orders would skip review; order-service
     * refuses such orders at its door.
     */
    public static final long MAX_FILTERABLE_TOTAL = 1_000_000_000L;

    private OrderEventAttributes() {}
}
