package io.decoupled.shipping.outbox;

import java.util.UUID;

/** An outbox row claimed by the relay, with the W3C trace context of the work that wrote it (null if none). */
record PendingEvent(long id, UUID eventId, String groupId, String eventType, String payload, String traceparent,
                    String tracestate) {
}
