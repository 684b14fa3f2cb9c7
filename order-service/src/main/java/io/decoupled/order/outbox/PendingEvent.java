package io.decoupled.order.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An outbox row claimed by the relay and not yet accepted by SNS.
 *
 * @param bytes what SNS counts against a request's size ({@link SnsBatchPublisher#size}), computed once: the relay
 *     sizes each event to chunk its batch, to decide on offloading and to count offloaded events
 */
record PendingEvent(
        long id,
        UUID eventId,
        String eventType,
        String payload,
        Map<String, OutboxMessage.Attribute> attributes,
        Instant createdAt,
        int attempts,
        int bytes) {

    PendingEvent(
            long id,
            UUID eventId,
            String eventType,
            String payload,
            Map<String, OutboxMessage.Attribute> attributes,
            Instant createdAt,
            int attempts) {
        this(
                id,
                eventId,
                eventType,
                payload,
                attributes,
                createdAt,
                attempts,
                SnsBatchPublisher.size(payload, attributes));
    }

    /** The PublishBatch entry id: unique within a batch, and the event id makes failures easy to trace. */
    String entryId() {
        return eventId.toString();
    }
}
