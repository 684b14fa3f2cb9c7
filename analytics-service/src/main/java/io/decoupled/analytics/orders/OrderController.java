package io.decoupled.analytics.orders;

import jakarta.validation.constraints.Size;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/analytics/orders")
class OrderController {
    private final OrderFacts facts;

    OrderController(OrderFacts facts) {
        this.facts = facts;
    }

    @GetMapping
    OrderFacts.OrderCounts counts() {
        return facts.orderCounts();
    }

    /** One order's hops in analytics, for the console's "one order's path"; an order it never saw has none. */
    @GetMapping("/{orderId}/path")
    Map<String, Object> path(@PathVariable @Size(min = 1, max = 100) String orderId) {
        return Map.of("orderId", orderId, "hops", facts.path(orderId));
    }

    @GetMapping("/high-value")
    OrderFacts.HighValueOrders highValue() {
        return facts.highValueOrders();
    }
}
