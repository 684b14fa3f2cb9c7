package io.decoupled.analytics.shipments;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class DeliveryController {
    private final DeliveryTimes deliveryTimes;

    DeliveryController(DeliveryTimes deliveryTimes) {
        this.deliveryTimes = deliveryTimes;
    }

    /** Delivered shipments and their dispatch-to-delivery time (average, median, 95th percentile). */
    @GetMapping("/analytics/deliveries")
    DeliveryTimes.Summary deliveries() {
        return deliveryTimes.summary();
    }
}
