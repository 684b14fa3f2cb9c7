package io.decoupled.shipping.outbox;

import java.util.UUID;

/** An outbox row claimed by the relay. */
record PendingEvent(long id, UUID eventId, String groupId, String eventType, String payload) {
}
