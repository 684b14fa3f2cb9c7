package io.decoupled.shipping.consumer;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Continues the producer's trace in the consumer: the W3C {@code traceparent} (and {@code tracestate}) message
 * attributes become the parent of a consumer span around the handler, so the logs and the events the handler
 * writes carry the trace id of the request that placed the order. Without a tracer it only runs the work.
 */
public final class MessageTracing {
    private static final MessageTracing NONE = new MessageTracing(null, null);

    private final Tracer tracer;
    private final Propagator propagator;

    public MessageTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    public static MessageTracing none() {
        return NONE;
    }

    <T> T inConsumerSpan(String name, Map<String, String> attributes, Callable<T> work) throws Exception {
        if (tracer == null || propagator == null) {
            return work.call();
        }
        // A message without a traceparent starts a trace of its own.
        Span span = propagator
                .extract(attributes, Map::get)
                .name(name)
                .kind(Span.Kind.CONSUMER)
                .start();
        try (var scope = tracer.withSpan(span)) {
            return work.call();
        } catch (Exception e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }
}
