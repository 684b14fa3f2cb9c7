package io.decoupled.order.ordering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/** An order as stored. */
record Order(
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
        Instant updatedAt) {

    Order {
        lines = List.copyOf(lines);
    }

    static Order place(PlaceOrder command, Instant now) {
        // Money in cents everywhere (response, event, database), whatever scale the client wrote.
        var lines = command.lines().stream()
                .map(l -> new OrderLine(l.sku(), l.quantity(), l.unitPrice().setScale(2, RoundingMode.UNNECESSARY)))
                .toList();
        return new Order(
                OrderId.newId(),
                command.customerId(),
                command.sessionId(),
                command.fulfillment(),
                command.country(),
                command.currency(),
                command.total(),
                OrderStatus.PLACED,
                lines,
                now,
                now);
    }
}
