package io.decoupled.order.outbox;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One message for the topic: its body exactly as it will be published, and the SNS message attributes.
 *
 * @param eventId unique per event; also the PublishBatch entry id and what consumers deduplicate on
 * @param aggregateId the id of the entity the event is about, for tracing and ops queries
 */
public record OutboxMessage(
        UUID eventId, String aggregateId, String eventType, String payload, Map<String, Attribute> attributes) {

    public OutboxMessage {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
        attributes = Map.copyOf(attributes);
    }

    /** An SNS message attribute: DataType {@code String} or {@code Number}. */
    public record Attribute(String dataType, String value) {
        public Attribute {
            if (!dataType.equals("String") && !dataType.equals("Number")) {
                throw new IllegalArgumentException("unsupported attribute data type: " + dataType);
            }
            Objects.requireNonNull(value, "value");
        }

        public static Attribute string(String value) {
            return new Attribute("String", value);
        }

        public static Attribute number(BigDecimal value) {
            return new Attribute("Number", value.toPlainString());
        }
    }
}
