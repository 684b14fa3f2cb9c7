package io.decoupled.shipping.outbox;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;

/**
 * The W3C trace context stored with an outbox row. The relay publishes later, on its own thread; captured at write
 * time, the context is that of the message processing that produced the event, so the order's trace goes on.
 */
record TraceContext(String traceparent, String tracestate) {
    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";
    static final TraceContext NONE = new TraceContext(null, null);

    static TraceContext current(Tracer tracer, Propagator propagator) {
        if (tracer == null || propagator == null || tracer.currentTraceContext().context() == null) {
            return NONE;
        }
        var carrier = new HashMap<String, String>();
        propagator.inject(tracer.currentTraceContext().context(), carrier, Map::put);
        return new TraceContext(carrier.get(TRACEPARENT), carrier.get(TRACESTATE));
    }
}
