package io.decoupled.order.ordering;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** GET /orders/counts: how many orders are in each status (every status, zero included) and in all. */
record OrderCounts(Map<OrderStatus, Long> byStatus, long total) {

    static OrderCounts of(Map<OrderStatus, Long> byStatus) {
        return new OrderCounts(
                Collections.unmodifiableMap(new EnumMap<>(byStatus)),
                byStatus.values().stream().mapToLong(Long::longValue).sum());
    }
}
