package io.decoupled.console.queues;

import io.decoupled.topology.OrderEventAttributes;
import io.decoupled.topology.Topology;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Sends a poison message straight to {@code shipping-orders}: it carries the attributes of an order event but
 * a body no consumer can parse. Shipping must neither lose its other work nor retry it forever; after
 * {@link Topology#MAX_RECEIVE_COUNT} receives SQS moves it to the dead-letter queue, where the dashboard shows
 * it and the redrive button can send it back.
 */
@Component
public class PoisonInjector {
    private final SqsClient sqs;
    private final QueueDepths queues;
    private final AtomicLong injected = new AtomicLong();

    PoisonInjector(SqsClient sqs, QueueDepths queues) {
        this.sqs = sqs;
        this.queues = queues;
    }

    /** Returns the SQS message id of the poison message. */
    public String inject() {
        String marker = UUID.randomUUID().toString();
        var response = sqs.sendMessage(r -> r.queueUrl(queues.queueUrl(Topology.SHIPPING_ORDERS))
                .messageBody("{\"eventType\":\"OrderPlaced\",\"poison\":\"" + marker + "\",\"orderId\":")
                .messageAttributes(Map.of(
                        OrderEventAttributes.EVENT_TYPE,
                        text(OrderEventAttributes.ORDER_PLACED),
                        OrderEventAttributes.FULFILLMENT,
                        text(OrderEventAttributes.SHIP),
                        "poison",
                        text("console"))));
        injected.incrementAndGet();
        return response.messageId();
    }

    public long injected() {
        return injected.get();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
