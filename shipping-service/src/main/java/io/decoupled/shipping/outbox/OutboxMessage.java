package io.decoupled.shipping.outbox;

import java.util.Objects;
import java.util.UUID;

/**
 * One event to publish on the FIFO topic.
 *
 * @param eventId   also the SNS deduplication id, so a re-relayed event is dropped by SNS within five minutes
 * @param groupId   the FIFO message group (the order id): events of one order are delivered in order
 * @param eventType also sent as the {@code eventType} message attribute
 * @param payload   the JSON body
 */
public record OutboxMessage(UUID eventId, String groupId, String eventType, String payload) {
    public OutboxMessage {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
    }
}
