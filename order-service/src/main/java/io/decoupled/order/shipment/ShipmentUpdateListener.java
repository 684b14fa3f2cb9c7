package io.decoupled.order.shipment;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.Visibility;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * FIFO consumer of shipment-updates.fifo. SNS FIFO groups messages by order id; Spring Cloud AWS hands a group's
 * messages to this listener one at a time, in order, and deletes each only after it returned.
 *
 * <p>Each failure is classified ({@link FailureKind}). A poison update (unparseable, or values the tables cannot
 * hold) is set aside in {@code rejected_shipment_events} with its sanitised reason, counted, and acknowledged: it
 * never blocks the order's later updates. A transient failure (the database unreachable) is retried here, holding
 * the message and extending its visibility, with backoff, within a time budget: the later updates of that order
 * wait behind it (none overtakes it), and an outage of minutes costs one receive, not the five after which the
 * queue would move a good update to the DLQ. Only a failure that outlasts the budget goes back to the queue.
 */
@Component
class ShipmentUpdateListener {
    private static final Logger log = LoggerFactory.getLogger(ShipmentUpdateListener.class);
    /** Visibility kept beyond each wait, so the message cannot reappear while it is worked on again. */
    private static final int VISIBILITY_MARGIN_SECONDS = 30;

    private final ShipmentUpdates updates;
    private final RejectedShipmentEvents rejected;
    private final JsonMapper json;
    private final ShipmentProperties.Retry retry;
    private final MeterRegistry meters;
    private final Clock clock;
    private final CountDownLatch closing = new CountDownLatch(1);

    ShipmentUpdateListener(
            ShipmentUpdates updates,
            RejectedShipmentEvents rejected,
            JsonMapper json,
            ShipmentProperties properties,
            MeterRegistry meters,
            Clock clock) {
        this.updates = updates;
        this.rejected = rejected;
        this.json = json;
        this.retry = properties.retry();
        this.meters = meters;
        this.clock = clock;
    }

    /** A message handed back to the queue: the retry budget ran out, or the service is shutting down. */
    static final class NotApplied extends RuntimeException {
        NotApplied(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @SqsListener(queueNames = "${order.shipments.queue:shipment-updates.fifo}", id = "shipment-updates")
    void on(String body, @Header(name = MessageHeaders.ID, required = false) UUID messageId, Visibility visibility) {
        meters.counter("shipment.updates.received").increment();
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                handle(body, messageId);
                return;
            } catch (RuntimeException e) {
                var elapsed = Duration.ofNanos(System.nanoTime() - started);
                var wait = retry.backoff(attempt);
                if (closing.getCount() == 0 || elapsed.plus(wait).compareTo(retry.budget()) > 0) {
                    // Back to the queue: at shutdown at once (another instance takes it), else after the budget.
                    changeVisibility(visibility, closing.getCount() == 0 ? 0 : (int) wait.toSeconds());
                    throw new NotApplied(
                            "shipment update " + messageId + " not applied after " + attempt + " attempts", e);
                }
                meters.counter("shipment.updates.retries").increment();
                log.warn(
                        "Shipment update {} failed transiently (attempt {}), retrying in {} ms: {}",
                        messageId,
                        attempt,
                        wait.toMillis(),
                        FailureKind.reason(e));
                changeVisibility(visibility, (int) wait.toSeconds() + VISIBILITY_MARGIN_SECONDS);
                try {
                    closing.await(wait.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    changeVisibility(visibility, 0);
                    throw new NotApplied("interrupted while retrying " + messageId, e);
                }
            }
        }
    }

    /** One attempt: parse and apply, or set the message aside if it is poison. Throws only on transient failures. */
    private void handle(String body, UUID messageId) {
        ShipmentEvent event;
        try {
            event = json.readValue(body, ShipmentEvent.class);
            if (event == null || event.eventId() == null || event.orderId() == null) {
                throw new IllegalArgumentException("eventId and orderId are required");
            }
        } catch (RuntimeException unreadable) {
            setAside(messageId, null, body, unreadable, "unreadable");
            return;
        }
        try {
            updates.apply(event);
        } catch (RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.TRANSIENT) {
                throw e;
            }
            setAside(messageId, event, body, e, "unstorable");
        }
    }

    private void setAside(UUID messageId, ShipmentEvent event, String body, RuntimeException cause, String kind) {
        var reason = FailureKind.reason(cause);
        rejected.reject(
                messageId == null ? null : messageId.toString(),
                event == null ? null : event.eventId(),
                event == null ? null : event.orderId(),
                String.valueOf(body),
                reason,
                clock.instant());
        meters.counter("shipment.updates.rejected", "kind", kind).increment();
        log.warn("Shipment update {} set aside ({}): {}", messageId, kind, reason);
    }

    private static void changeVisibility(Visibility visibility, int seconds) {
        if (visibility == null) {
            return;
        }
        try {
            visibility.changeTo(Math.min(seconds, Visibility.MAX_VISIBILITY_TIMEOUT_SECONDS));
        } catch (RuntimeException e) {
            log.debug("Could not change the visibility of a shipment update: {}", e.toString());
        }
    }

    /** Shutdown stops a retry loop at once: the message goes back to the queue for another instance. */
    @EventListener(ContextClosedEvent.class)
    void closing() {
        closing.countDown();
    }
}
