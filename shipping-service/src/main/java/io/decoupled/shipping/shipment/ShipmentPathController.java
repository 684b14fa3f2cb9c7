package io.decoupled.shipping.shipment;

import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /shipments/{orderId}/path, read-only, for the console's "one order's path". Open like the actuator's
 * health: it names parcels and times, not customers; an order shipping never saw has no hops (200, empty).
 */
@RestController
class ShipmentPathController {
    private final ShipmentPathRepository paths;

    ShipmentPathController(ShipmentPathRepository paths) {
        this.paths = paths;
    }

    @GetMapping("/shipments/{orderId}/path")
    ShipmentPath path(@PathVariable UUID orderId) {
        return paths.find(orderId);
    }
}
