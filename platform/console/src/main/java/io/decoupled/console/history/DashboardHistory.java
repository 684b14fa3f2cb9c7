package io.decoupled.console.history;

import io.decoupled.console.queues.QueueDepth;
import io.decoupled.console.services.MetricValue;
import io.decoupled.console.services.OrdersSource.OrdersView;
import io.decoupled.console.services.ShippingSource.ShippingView;
import io.decoupled.console.stream.StreamView;
import io.decoupled.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Keeps the charts' numbers for the window (a {@link SampleRing}) and turns them into {@link Charts}. The collector
 * records one sample per snapshot, so the history costs the services nothing beyond the dashboard itself.
 */
@Component
@EnableConfigurationProperties(HistoryProperties.class)
public class DashboardHistory {
    static final String QUEUE = Topology.SHIPPING_ORDERS;

    private final SampleRing ring;
    private final Duration window;
    private final Clock clock;

    @Autowired
    DashboardHistory(HistoryProperties properties) {
        this(properties, Clock.systemUTC());
    }

    DashboardHistory(HistoryProperties properties, Clock clock) {
        this.ring = new SampleRing(properties.samples(), properties.window());
        this.window = properties.window();
        this.clock = clock;
    }

    /** Records what the panels showed at {@code at}; a null panel (not available) leaves gaps in its charts. */
    public void record(
            Instant at, List<QueueDepth> queues, ShippingView shipping, OrdersView orders, StreamView stream) {
        var queue = queues == null
                ? null
                : queues.stream()
                        .filter(q -> q.name().equals(QUEUE))
                        .findFirst()
                        .orElse(null);
        Long deadLetters = queues == null
                ? null
                : queues.stream()
                        .map(QueueDepth::deadLetterVisible)
                        .filter(Objects::nonNull)
                        .mapToLong(Long::longValue)
                        .sum();
        var shards = new LinkedHashMap<String, Sample.Shard>();
        if (stream != null) {
            stream.shards()
                    .forEach(s -> shards.put(
                            s.shardId(), new Sample.Shard(s.recordsPerSecond(), s.lagAtLeast() ? null : s.lag())));
        }
        ring.add(new Sample(
                at,
                queue == null ? null : queue.visible(),
                queue == null ? null : queue.inFlight(),
                shipping == null ? null : metric(shipping.workers(), "shipping.workers.current"),
                shipping == null ? null : metric(shipping.workers(), "shipping.workers.desired"),
                orders == null ? null : metric(orders.outbox(), "outbox.backlog"),
                deadLetters,
                Map.copyOf(shards)));
    }

    public Charts charts() {
        var samples = ring.since(clock.instant());
        var t = new ArrayList<Double>(samples.size());
        var visible = new ArrayList<Long>();
        var inFlight = new ArrayList<Long>();
        var current = new ArrayList<Double>();
        var desired = new ArrayList<Double>();
        var outbox = new ArrayList<Double>();
        var dead = new ArrayList<Long>();
        for (var s : samples) {
            t.add(s.at().toEpochMilli() / 1000.0);
            visible.add(s.queueVisible());
            inFlight.add(s.queueInFlight());
            current.add(s.workersCurrent());
            desired.add(s.workersDesired());
            outbox.add(s.outboxBacklog());
            dead.add(s.deadLetters());
        }
        return new Charts(window.toSeconds(), t, visible, inFlight, current, desired, outbox, dead, shards(samples));
    }

    /** Every shard seen in the window (a split adds children, a closed parent stays until it ages out). */
    private static Map<String, Charts.ShardSeries> shards(List<Sample> samples) {
        var ids = new TreeMap<String, Charts.ShardSeries>();
        samples.forEach(s -> s.shards().keySet().forEach(id -> ids.put(id, null)));
        var result = new LinkedHashMap<String, Charts.ShardSeries>();
        for (var id : ids.keySet()) {
            var ingest = new ArrayList<Double>(samples.size());
            var consumed = new ArrayList<Double>(samples.size());
            var lag = new ArrayList<Long>(samples.size());
            Sample previous = null;
            for (var s : samples) {
                var shard = s.shards().get(id);
                ingest.add(shard == null ? null : shard.ingestPerSecond());
                lag.add(shard == null ? null : shard.lag());
                consumed.add(consumed(previous, s, id));
                previous = s;
            }
            result.put(id, new Charts.ShardSeries(ingest, consumed, lag));
        }
        return result;
    }

    /** Ingest minus the lag's growth per second; unknown without two known lags. Never below zero. */
    static Double consumed(Sample previous, Sample current, String shardId) {
        if (previous == null) {
            return null;
        }
        var before = previous.shards().get(shardId);
        var now = current.shards().get(shardId);
        if (before == null || now == null || before.lag() == null || now.lag() == null) {
            return null;
        }
        double seconds = Duration.between(previous.at(), current.at()).toMillis() / 1000.0;
        if (seconds <= 0) {
            return null;
        }
        return Math.max(0, now.ingestPerSecond() - (now.lag() - before.lag()) / seconds);
    }

    private static Double metric(List<MetricValue> metrics, String name) {
        // A metric the service does not publish (yet) has a null value: a gap, not an error.
        return metrics.stream()
                .filter(m -> m.metric().equals(name))
                .findFirst()
                .map(MetricValue::value)
                .orElse(null);
    }
}
