package io.decoupled.shipping.shipment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** GET /shipments/{orderId}/path: the hops shipping-service kept for one order, oldest first (none if it never saw it). */
record ShipmentPath(UUID orderId, List<Hop> hops) {

    /** One step: what happened, when, and what identifies it (event id, carrier and tracking number). */
    record Hop(String hop, Instant at, String detail) {}
}
