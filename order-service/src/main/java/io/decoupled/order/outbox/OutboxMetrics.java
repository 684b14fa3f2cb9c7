package io.decoupled.order.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outbox as an operator sees it: backlog (pending rows), parked rows, publish latency (commit to SNS
 * acceptance), events offloaded to S3 (claim check) and publish failures, by kind. Retry and circuit-breaker meters come from Resilience4j.
 */
class OutboxMetrics {
    private final MeterRegistry registry;
    private final Timer latency;
    private final Counter published;
    private final Counter offloaded;

    OutboxMetrics(MeterRegistry registry, OutboxRepository repository) {
        this.registry = registry;
        Gauge.builder("outbox.backlog", repository, OutboxRepository::countPending)
                .description("Events written but not yet accepted by SNS")
                .register(registry);
        Gauge.builder("outbox.parked", repository, OutboxRepository::countParked)
                .description("Events SNS kept rejecting as the sender's fault; need an operator")
                .register(registry);
        this.latency = Timer.builder("outbox.publish.latency")
                .description("From the event's commit to SNS accepting it")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.published = Counter.builder("outbox.published")
                .description("Events SNS accepted")
                .register(registry);
        this.offloaded = Counter.builder("outbox.offloaded")
                .description("Of the events SNS accepted, those past 256 KiB sent as a pointer to S3 (claim check)")
                .register(registry);
    }

    void accepted(List<PendingEvent> events, Instant at) {
        published.increment(events.size());
        // Offloading is the only way such an event is accepted, so the size decision says which ones were.
        offloaded.increment(
                events.stream().filter(SnsBatchPublisher::needsOffloading).count());
        events.forEach(e -> latency.record(Duration.between(e.createdAt(), at)));
    }

    void rejected(BatchOutcome.Rejection rejection) {
        failure("entry", rejection.code() == null ? "unknown" : rejection.code());
    }

    void parked(BatchOutcome.Rejection rejection) {
        Counter.builder("outbox.parked.events")
                .description("Events parked after too many rejections, by the last rejection's code")
                .tag("reason", rejection.code() == null ? "unknown" : rejection.code())
                .register(registry)
                .increment();
    }

    void callFailed(Exception e) {
        failure("call", e.getClass().getSimpleName());
    }

    private void failure(String kind, String reason) {
        Counter.builder("outbox.publish.failures")
                .description("PublishBatch calls that failed and entries SNS rejected")
                .tag("kind", kind)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
