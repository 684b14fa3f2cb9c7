package io.decoupled.analytics.orders;

import org.springframework.web.bind.annotation.GetMapping;
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

    @GetMapping("/high-value")
    OrderFacts.HighValueOrders highValue() {
        return facts.highValueOrders();
    }
}
