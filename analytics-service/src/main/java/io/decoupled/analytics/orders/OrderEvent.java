package io.decoupled.analytics.orders;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** The fields of an order-events message (docs/contracts.md) that analytics reads; owned by order-service. */
@JsonIgnoreProperties(ignoreUnknown = true)
record OrderEvent(
        UUID eventId,
        String eventType,
        String orderId,
        String sessionId,
        BigDecimal total,
        String currency,
        String country,
        Instant occurredAt) {

    /** A message without these cannot be counted; throwing sends it back to the queue and, after retries, to the DLQ. */
    OrderEvent requireComplete() {
        if (eventId == null || eventType == null || orderId == null || occurredAt == null) {
            throw new IllegalArgumentException("order event lacks eventId, eventType, orderId or occurredAt: " + this);
        }
        return this;
    }
}
