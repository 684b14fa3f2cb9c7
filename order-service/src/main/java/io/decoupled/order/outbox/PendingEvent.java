package io.decoupled.order.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An outbox row claimed by the relay and not yet accepted by SNS. */
record PendingEvent(
        long id,
        UUID eventId,
        String eventType,
        String payload,
        Map<String, OutboxMessage.Attribute> attributes,
        Instant createdAt,
        int attempts) {

    /** The PublishBatch entry id: unique within a batch, and the event id makes failures easy to trace. */
    String entryId() {
        return eventId.toString();
    }
}
