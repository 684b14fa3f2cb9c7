package io.decoupled.shipping.shipment;

import io.decoupled.shipping.consumer.MessageHandler;
import io.decoupled.shipping.consumer.PoisonMessageException;
import io.decoupled.shipping.consumer.ReceivedMessage;
import io.decoupled.topology.OrderEventAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a message from shipping-orders: an OrderPlaced is shipped, an OrderCancelled is the cancellation saga's
 * request (docs/saga.md) and is answered. A body that is not the contract's shape is poison (retrying cannot fix
 * it); a well-formed event that is not for shipping is acknowledged and counted, because the subscription's
 * filter policy should have kept it out and retrying will not change that.
 */
@Component
class ShippingOrderHandler implements MessageHandler {
    private static final Logger log = LoggerFactory.getLogger(ShippingOrderHandler.class);

    private final ShipmentService shipments;
    private final ShipmentCancellations cancellations;
    private final JsonMapper json;

    ShippingOrderHandler(ShipmentService shipments, ShipmentCancellations cancellations, JsonMapper json) {
        this.shipments = shipments;
        this.cancellations = cancellations;
        this.json = json;
    }

    @Override
    public String handle(ReceivedMessage message) {
        var node = parse(message.payload());
        String eventType = text(node, "eventType");
        String fulfillment = text(node, "fulfillment");
        boolean placed = OrderEventAttributes.ORDER_PLACED.equals(eventType);
        boolean cancelled = OrderEventAttributes.ORDER_CANCELLED.equals(eventType);
        if (!(placed || cancelled) || !OrderEventAttributes.SHIP.equals(fulfillment)) {
            log.warn(
                    "Ignoring {} {} event {}: the shipping-orders filter policy should not have delivered it",
                    eventType,
                    fulfillment,
                    message.messageId());
            return "ignored";
        }
        if (cancelled) {
            var request = new OrderCancelled(
                    new EventId(uuid(node, "eventId")), new OrderId(uuid(node, "orderId")), instant(node));
            return switch (cancellations.cancel(request)) {
                case CANCELLED -> "cancelled";
                case REFUSED -> "cancellation-refused";
                case DUPLICATE -> "duplicate";
            };
        }
        var order = new OrderPlaced(
                new EventId(uuid(node, "eventId")),
                new OrderId(uuid(node, "orderId")),
                node.path("customerId").asString(null),
                fulfillment,
                text(node, "country"),
                instant(node));
        return switch (shipments.ship(order)) {
            case SHIPPED -> "shipped";
            case DUPLICATE -> "duplicate";
            case CANCELLED_BEFORE_DISPATCH -> "not-shipped-cancelled";
        };
    }

    private JsonNode parse(String payload) {
        try {
            var node = json.readTree(payload);
            if (!node.isObject()) {
                throw new PoisonMessageException("body is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new PoisonMessageException("body is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        var value = node.path(field);
        if (!value.isString() || value.asString().isBlank()) {
            throw new PoisonMessageException("missing or non-text field '" + field + "'");
        }
        return value.asString();
    }

    private static UUID uuid(JsonNode node, String field) {
        try {
            return UUID.fromString(text(node, field));
        } catch (IllegalArgumentException e) {
            throw new PoisonMessageException("field '" + field + "' is not a UUID");
        }
    }

    private static Instant instant(JsonNode node) {
        var value = node.path("occurredAt");
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asString());
        } catch (DateTimeParseException e) {
            throw new PoisonMessageException("field 'occurredAt' is not an ISO-8601 instant");
        }
    }
}
