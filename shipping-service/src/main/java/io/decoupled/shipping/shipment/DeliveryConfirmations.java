package io.decoupled.shipping.shipment;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.decoupled.shipping.outbox.Outbox;
import io.decoupled.shipping.outbox.OutboxMessage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delay queue: at dispatch a delivery confirmation is scheduled on {@code shipment-deliveries} with a per-message
 * {@code DelaySeconds}; SQS keeps it invisible until then, and when it arrives the shipment becomes DELIVERED and
 * ShipmentDelivered goes to the outbox. It replaces a scheduler that polled the shipment table every second:
 * nothing scans the database, several instances share the work as competing consumers, and a confirmation that
 * cannot be applied is retried by visibility and ends in the queue's DLQ instead of being lost.
 *
 * <p>{@link #schedule} is called inside the dispatch transaction, before it commits. That is no dual write: if the
 * send fails the dispatch rolls back and the order is retried; if the commit fails after the send, the
 * confirmation arrives for a shipment that does not exist, is not acknowledged, and ends in the DLQ after
 * maxReceiveCount, visible to an operator. The delay is what makes it safe: it is seconds, the commit milliseconds.
 */
@Component
class DeliveryConfirmations {
    private static final Logger log = LoggerFactory.getLogger(DeliveryConfirmations.class);

    /** The wire format of the confirmation (only shipping-service writes and reads it). */
    record Confirmation(UUID shipmentId, UUID orderId) {}

    private final SqsAsyncClient sqs;
    private final ShipmentRepository shipments;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final DeliveryProperties settings;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private volatile String queueUrl;

    DeliveryConfirmations(
            SqsAsyncClient sqs,
            ShipmentRepository shipments,
            Outbox outbox,
            TransactionTemplate transactions,
            DeliveryProperties settings,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters) {
        this.sqs = sqs;
        this.shipments = shipments;
        this.outbox = outbox;
        this.transactions = transactions;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    /** Schedules the confirmation; it becomes visible {@code shipping.delivery.after} from now. Blocks until SQS accepts it. */
    void schedule(ShipmentId shipmentId, OrderId orderId) {
        var body = json.writeValueAsString(new Confirmation(shipmentId.value(), orderId.value()));
        // A per-message delay overrides the queue's DelaySeconds (standard queues only; FIFO queues have only the
        // queue's).
        sqs.sendMessage(r -> r.queueUrl(queueUrl()).messageBody(body).delaySeconds((int)
                        settings.after().toSeconds()))
                .join();
    }

    /** Delivers the shipment. Throwing leaves the message to come back after its visibility timeout. */
    @SqsListener(
            queueNames = "${shipping.delivery.queue:shipment-deliveries}",
            factory = "deliveryConfirmationListenerFactory")
    void confirm(String body) {
        Confirmation confirmation;
        try {
            confirmation = json.readValue(body, Confirmation.class);
        } catch (JacksonException e) {
            // Unreadable: no retry can help, and only this service writes the queue. Acknowledged, logged, counted.
            log.error("Unreadable delivery confirmation set aside: {}", e.getOriginalMessage());
            count("unreadable");
            return;
        }
        if (confirmation.shipmentId() == null || confirmation.orderId() == null) {
            log.error(
                    "Delivery confirmation without shipment or order id set aside: {}",
                    body.length() > 200 ? body.substring(0, 200) : body);
            count("unreadable");
            return;
        }
        String outcome = transactions.execute(tx -> {
            var now = clock.instant();
            var delivered = shipments.markDeliveredIfDispatched(confirmation.shipmentId(), now);
            if (delivered.isEmpty()) {
                if (shipments.exists(confirmation.shipmentId())) {
                    return "duplicate"; // delivered already: a redelivered confirmation changes nothing
                }
                // Scheduled by a dispatch that never committed, or not yet visible: let SQS try again, then the DLQ.
                throw new IllegalStateException("no shipment " + confirmation.shipmentId() + " to deliver");
            }
            var shipment = delivered.get();
            var event = new ShipmentEvent.ShipmentDelivered(
                    UUID.randomUUID(),
                    shipment.orderId(),
                    shipment.shipmentId(),
                    shipment.carrier(),
                    shipment.trackingNumber(),
                    now);
            outbox.append(new OutboxMessage(
                    event.eventId(), event.orderId().toString(), event.eventType(), json.writeValueAsString(event)));
            log.info("Shipment {} of order {} delivered", shipment.shipmentId(), shipment.orderId());
            return "delivered";
        });
        count(outcome);
    }

    private void count(String outcome) {
        meters.counter("shipping.deliveries", "outcome", outcome).increment();
    }

    private String queueUrl() {
        var url = queueUrl;
        if (url == null) {
            url = sqs.getQueueUrl(r -> r.queueName(settings.queue())).join().queueUrl();
            queueUrl = url;
        }
        return url;
    }
}
