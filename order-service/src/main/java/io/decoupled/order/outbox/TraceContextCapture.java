package io.decoupled.order.outbox;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Trace context through the outbox. The relay publishes later, on its own thread and in its own span; if it
 * stamped its own context on the message, every order's trace would end at the database. So the W3C context of the
 * request that wrote the row ({@code traceparent}, {@code tracestate} if present) is captured at write time and
 * stored with the row's message attributes, and the relay publishes the original request's context.
 */
@Component
class TraceContextCapture {
    /** The W3C trace context headers, carried as SNS/SQS message attributes (two of SQS's ten). */
    static final String TRACEPARENT = "traceparent";

    static final String TRACESTATE = "tracestate";

    private final ObjectProvider<Tracer> tracer;
    private final ObjectProvider<Propagator> propagator;

    TraceContextCapture(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The current trace context as message attributes; empty when there is no current span or no tracer. */
    Map<String, OutboxMessage.Attribute> current() {
        var t = tracer.getIfAvailable();
        var p = propagator.getIfAvailable();
        if (t == null || p == null || t.currentTraceContext().context() == null) {
            return Map.of();
        }
        var carrier = new LinkedHashMap<String, String>();
        p.inject(t.currentTraceContext().context(), carrier, Map::put);
        var attributes = new LinkedHashMap<String, OutboxMessage.Attribute>();
        for (var name : new String[] {TRACEPARENT, TRACESTATE}) {
            var value = carrier.get(name);
            if (value != null && !value.isBlank()) {
                attributes.put(name, OutboxMessage.Attribute.string(value));
            }
        }
        return attributes;
    }

    /** The message's attributes plus the current trace context (the message's own attributes win). */
    OutboxMessage stamp(OutboxMessage message) {
        var context = current();
        if (context.isEmpty()) {
            return message;
        }
        var attributes = new LinkedHashMap<>(context);
        attributes.putAll(message.attributes());
        return new OutboxMessage(
                message.eventId(), message.aggregateId(), message.eventType(), message.payload(), attributes);
    }
}
