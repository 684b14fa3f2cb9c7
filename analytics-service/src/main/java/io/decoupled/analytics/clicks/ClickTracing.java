package io.decoupled.analytics.clicks;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Continues a click's trace in analytics. Kinesis records have no attributes, so click-ingest writes the W3C
 * {@code traceparent} into the record (docs/contracts.md); here each traced click of a batch gets a consumer span
 * that is a child of that context, so the click's trace id reaches the service that counts it. The batch is
 * applied in one transaction, so the spans share its duration rather than nest around per-click work.
 */
final class ClickTracing {
    private final Tracer tracer;
    private final Propagator propagator;

    ClickTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    List<Span> start(List<ClickRecorded> clicks, String shardId) {
        if (tracer == null || propagator == null) {
            return List.of();
        }
        var spans = new ArrayList<Span>();
        for (var click : clicks) {
            if (click.traceparent() == null || click.traceparent().isBlank()) {
                continue;
            }
            var carrier = new HashMap<String, String>();
            carrier.put("traceparent", click.traceparent());
            if (click.tracestate() != null) {
                carrier.put("tracestate", click.tracestate());
            }
            spans.add(propagator
                    .extract(carrier, Map::get)
                    .name("clickstream record")
                    .kind(Span.Kind.CONSUMER)
                    .tag("click.id", String.valueOf(click.clickId()))
                    .tag("shard.id", shardId)
                    .start());
        }
        return spans;
    }
}
