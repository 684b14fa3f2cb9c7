package io.decoupled.order.ordering;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as GET /orders/{id} shows it, with every status it went through. */
record OrderView(
        OrderId id,
        String customerId,
        String sessionId,
        Fulfillment fulfillment,
        String country,
        String currency,
        BigDecimal total,
        OrderStatus status,
        List<OrderLine> lines,
        Instant placedAt,
        Instant updatedAt,
        List<StatusChange> history) {

    static OrderView of(Order o, List<StatusChange> history) {
        return new OrderView(
                o.id(),
                o.customerId(),
                o.sessionId(),
                o.fulfillment(),
                o.country(),
                o.currency(),
                o.total(),
                o.status(),
                o.lines(),
                o.placedAt(),
                o.updatedAt(),
                history);
    }

    /**
     * One step of the order's life; {@code causeEventId} names the shipment event that caused it, if any, and
     * {@code note} says why in words (the cancellation saga's request and answer), if there is more to say.
     */
    record StatusChange(
            OrderStatus status,
            UUID causeEventId,
            Instant at,
            @JsonInclude(JsonInclude.Include.NON_NULL) String note) {}
}
