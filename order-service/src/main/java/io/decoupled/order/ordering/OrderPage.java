package io.decoupled.order.ordering;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A page of GET /orders, newest first. */
record OrderPage(List<Summary> items, int page, int size, boolean hasNext) {

    record Summary(
            OrderId id,
            String customerId,
            OrderStatus status,
            Fulfillment fulfillment,
            String country,
            BigDecimal total,
            String currency,
            Instant placedAt) {
        static Summary of(Order o) {
            return new Summary(
                    o.id(),
                    o.customerId(),
                    o.status(),
                    o.fulfillment(),
                    o.country(),
                    o.total(),
                    o.currency(),
                    o.placedAt());
        }
    }
}
