package io.decoupled.analytics.orders;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pattern: fan-out second subscriber. The same order-events topic feeds shipping (filtered) and analytics
 * (unfiltered, {@code analytics-orders}, SNS envelope), and {@code order-review}, filtered on the {@code total}
 * attribute, delivers only orders at or above the review threshold (raw). An event past 256 KiB arrives as a pointer
 * to S3 on both and is resolved before it is parsed ({@link OffloadedPayloads}). Neither publisher nor other subscribers know
 * analytics exists. A listener that throws leaves the message on the queue; after
 * {@link Topology#MAX_RECEIVE_COUNT} receives it moves to the DLQ.
 */
@Component
class OrderListeners {
    private final OrderFacts facts;
    private final OffloadedPayloads payloads;
    private final JsonMapper json;
    private final Counter duplicates;
    private final Tracer tracer;
    private final Propagator propagator;

    OrderListeners(
            OrderFacts facts,
            OffloadedPayloads payloads,
            JsonMapper json,
            MeterRegistry registry,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<Propagator> propagator) {
        this.facts = facts;
        this.payloads = payloads;
        this.json = json;
        this.tracer = tracer.getIfAvailable();
        this.propagator = propagator.getIfAvailable();
        this.duplicates = Counter.builder("analytics.orders.duplicates")
                .description("Order events delivered again")
                .register(registry);
    }

    /** The SNS envelope's Message, which may be a pointer to the event in S3 (claim check), so it is read by hand. */
    @SqsListener(Topology.ANALYTICS_ORDERS)
    void onOrderEvent(String envelope) {
        var notification = json.readTree(envelope);
        var message = notification.path("Message");
        if (!message.isString()) {
            throw new IllegalArgumentException("not an SNS notification: no Message");
        }
        var span = continueTrace(notification.path("MessageAttributes"));
        try (var scope = span == null ? null : tracer.withSpan(span)) {
            if (!facts.record(event(message.asString()).requireComplete())) {
                duplicates.increment();
            }
        } catch (RuntimeException e) {
            if (span != null) {
                span.error(e);
            }
            throw e;
        } finally {
            if (span != null) {
                span.end();
            }
        }
    }

    /**
     * The envelope keeps the message attributes, {@code traceparent} among them, inside the body, where the listener
     * container's observation does not look (it reads the SQS message's own attributes, which raw delivery fills): the
     * event gets a consumer span in the publisher's trace here, as it does on the raw-delivery queues. Null when the
     * event carries no trace context or tracing is off.
     */
    private Span continueTrace(JsonNode attributes) {
        var traceparent = attributes.path("traceparent").path("Value");
        if (tracer == null || propagator == null || !traceparent.isString()) {
            return null;
        }
        try {
            return propagator
                    .extract(Map.of("traceparent", traceparent.asString()), Map::get)
                    .name("analytics-orders event")
                    .kind(Span.Kind.CONSUMER)
                    .start();
        } catch (RuntimeException unreadable) {
            // A trace context must never cost the event: without one, the container's own span stands.
            return null;
        }
    }

    /** Raw delivery: the body is the event, or a pointer to it in S3. */
    @SqsListener(Topology.ORDER_REVIEW)
    void onHighValueOrder(String body) {
        var event = event(body);
        if (event.requireComplete().total() == null) {
            throw new IllegalArgumentException("a high-value order without a total: " + event);
        }
        if (!facts.recordHighValue(event)) {
            duplicates.increment();
        }
    }

    private OrderEvent event(String payload) {
        return json.readValue(payloads.resolve(payload), OrderEvent.class);
    }
}
