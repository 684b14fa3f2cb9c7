package io.decoupled.order.ordering;

import io.decoupled.order.outbox.Outbox;
import io.decoupled.order.outbox.OutboxMessage;
import io.decoupled.order.outbox.OutboxMessage.Attribute;
import io.decoupled.topology.OrderEventAttributes;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns order changes into {@code order-events} messages: the JSON body plus the SNS message attributes that the
 * subscription filter policies match. Writes them to the outbox, never to SNS, so they commit with the order.
 */
@Component
class OrderEvents {
    private final Outbox outbox;
    private final JsonMapper json;

    OrderEvents(Outbox outbox, JsonMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    void placed(Order order, Instant at) {
        append(OrderEvent.of(OrderEventAttributes.ORDER_PLACED, order, at));
    }

    void cancelled(Order order, Instant at) {
        append(OrderEvent.of(OrderEventAttributes.ORDER_CANCELLED, order, at));
    }

    private void append(OrderEvent event) {
        var attributes = Map.of(
                OrderEventAttributes.EVENT_TYPE, Attribute.string(event.eventType()),
                OrderEventAttributes.FULFILLMENT,
                        Attribute.string(event.fulfillment().name()),
                // Number, not String: numeric filter conditions are only defined on Number attributes.
                OrderEventAttributes.TOTAL, Attribute.number(event.total()),
                OrderEventAttributes.COUNTRY, Attribute.string(event.country()));
        outbox.append(new OutboxMessage(
                event.eventId(),
                event.orderId().toString(),
                event.eventType(),
                json.writeValueAsString(event),
                attributes));
    }
}
