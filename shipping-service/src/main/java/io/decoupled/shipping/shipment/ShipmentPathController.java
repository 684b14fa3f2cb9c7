package io.decoupled.shipping.shipment;

import io.decoupled.websecurity.CanonicalUuid;
import java.beans.PropertyEditorSupport;
import java.util.UUID;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
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

    /**
     * The order id in its canonical form only: Spring's default reading ({@link UUID#fromString}) would take
     * {@code 1-1-1-1-1} as another name of order 00000001-0001-0001-0001-000000000001. Refused, it is a 400 problem
     * naming {@code orderId}, like any id that is not a UUID.
     */
    @InitBinder
    void canonicalUuids(WebDataBinder binder) {
        binder.registerCustomEditor(UUID.class, new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                setValue(CanonicalUuid.parse(text));
            }
        });
    }

    @GetMapping("/shipments/{orderId}/path")
    ShipmentPath path(@PathVariable UUID orderId) {
        return paths.find(orderId);
    }
}
