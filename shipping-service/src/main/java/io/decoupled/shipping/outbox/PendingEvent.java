package io.decoupled.shipping.outbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An outbox row claimed by the relay and not yet accepted by SNS, with the W3C trace context of the work that wrote
 * it (null if none).
 */
record PendingEvent(
        long id,
        UUID eventId,
        String groupId,
        String eventType,
        String payload,
        String traceparent,
        String tracestate,
        Instant createdAt,
        int attempts) {

    /** The PublishBatch entry id: unique within a batch, and the event id makes failures easy to trace. */
    String entryId() {
        return eventId.toString();
    }

    /** The SNS message attributes (all of DataType String): {@code eventType} and the stored trace context. */
    Map<String, String> attributes() {
        var attributes = new LinkedHashMap<String, String>();
        attributes.put("eventType", eventType);
        if (traceparent != null) {
            attributes.put(TraceContext.TRACEPARENT, traceparent);
        }
        if (tracestate != null) {
            attributes.put(TraceContext.TRACESTATE, tracestate);
        }
        return attributes;
    }
}
