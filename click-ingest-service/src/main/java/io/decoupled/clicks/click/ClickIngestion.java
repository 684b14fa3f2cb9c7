package io.decoupled.clicks.click;

import io.decoupled.clicks.producer.ClickstreamProducer;
import io.decoupled.clicks.producer.OutgoingRecord;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns accepted clicks into clickstream records keyed by session and hands them to the producer port, all or none;
 * the same records (docs/contracts.md) whichever broker carries them.
 */
@Service
class ClickIngestion {
    private final ClickstreamProducer producer;
    private final JsonMapper json;
    private final Clock clock;
    private final ObjectProvider<Tracer> tracer;
    private final ObjectProvider<Propagator> propagator;

    ClickIngestion(
            ClickstreamProducer producer,
            JsonMapper json,
            Clock clock,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<Propagator> propagator) {
        this.producer = producer;
        this.json = json;
        this.clock = clock;
        this.tracer = tracer;
        this.propagator = propagator;
    }

    record Ingested(List<ClickId> clickIds, CompletableFuture<Void> written) {}

    Ingested ingest(List<ClickRequest> requests) {
        var receivedAt = clock.instant();
        var context = traceContext();
        var events = requests.stream()
                .map(r -> ClickRecorded.accept(r, receivedAt, context.get("traceparent"), context.get("tracestate")))
                .toList();
        var records = events.stream()
                .map(e -> new OutgoingRecord(e.sessionId().value(), json.writeValueAsBytes(e)))
                .toList();
        var written = producer.submit(records);
        return new Ingested(events.stream().map(ClickRecorded::clickId).toList(), written);
    }

    /** The request's W3C trace context ({@code traceparent}, {@code tracestate}), empty without a current span. */
    private Map<String, String> traceContext() {
        var t = tracer.getIfAvailable();
        var p = propagator.getIfAvailable();
        var carrier = new HashMap<String, String>();
        if (t != null && p != null && t.currentTraceContext().context() != null) {
            p.inject(t.currentTraceContext().context(), carrier, Map::put);
        }
        return carrier;
    }
}
