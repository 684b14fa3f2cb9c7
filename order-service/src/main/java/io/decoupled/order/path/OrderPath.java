package io.decoupled.order.path;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * GET /orders/{id}/path: the hops of one order that order-service saw, oldest first, and the W3C trace id the
 * request started (carried on every message, so the other services' hops join on it).
 */
record OrderPath(UUID orderId, String traceId, List<Hop> hops) {

    /** One step: what happened, when, and the detail that identifies it (event type and id, status, note). */
    record Hop(String hop, Instant at, String detail) {}
}
