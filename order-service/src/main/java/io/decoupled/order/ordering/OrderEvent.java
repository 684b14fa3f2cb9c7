package io.decoupled.order.ordering;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The integration event on SNS {@code order-events}: the wire contract in docs/contracts.md. Kept apart from the
 * {@link Order} record so that the stored model can change without changing what consumers read.
 */
record OrderEvent(
        UUID eventId,
        String eventType,
        OrderId orderId,
        String customerId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String sessionId,
        Fulfillment fulfillment,
        String country,
        String currency,
        BigDecimal total,
        List<OrderLine> lines,
        Instant occurredAt) {

    static OrderEvent of(String eventType, Order order, Instant occurredAt) {
        return new OrderEvent(
                UUID.randomUUID(),
                eventType,
                order.id(),
                order.customerId(),
                order.sessionId(),
                order.fulfillment(),
                order.country(),
                order.currency(),
                order.total(),
                order.lines(),
                occurredAt);
    }
}
