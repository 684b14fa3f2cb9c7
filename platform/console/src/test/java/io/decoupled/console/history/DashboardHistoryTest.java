package io.decoupled.console.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.decoupled.console.queues.QueueDepth;
import io.decoupled.console.services.MetricValue;
import io.decoupled.console.services.OrdersSource.OrdersView;
import io.decoupled.console.services.ShippingSource.ShippingView;
import io.decoupled.console.stream.StreamView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardHistoryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void theChartsHoldOneColumnPerSeriesOnOneTimeAxis() {
        var history = new DashboardHistory(new HistoryProperties(Duration.ofMinutes(15), 900), clock);
        history.record(T0, queues(40, 3, 2L), shipping(2, 4), orders(7), stream(shard("s-0", 10, 100L)));
        now = T0.plusSeconds(1);
        history.record(now, queues(30, 4, 1L), shipping(4, 4), orders(0), stream(shard("s-0", 10, 95L)));

        var charts = history.charts();

        assertThat(charts.windowSeconds()).isEqualTo(900);
        assertThat(charts.t()).containsExactly(T0.getEpochSecond() + 0.0, T0.getEpochSecond() + 1.0);
        assertThat(charts.queueVisible()).containsExactly(40L, 30L);
        assertThat(charts.queueInFlight()).containsExactly(3L, 4L);
        assertThat(charts.workersCurrent()).containsExactly(2.0, 4.0);
        assertThat(charts.workersDesired()).containsExactly(4.0, 4.0);
        assertThat(charts.outboxBacklog()).containsExactly(7.0, 0.0);
        assertThat(charts.deadLetters()).containsExactly(2L, 1L);
        // 10 records/s written and the lag fell by 5 in a second: the consumer took 15/s.
        assertThat(charts.shards().get("s-0").consumed().get(1)).isCloseTo(15.0, within(1e-9));
        assertThat(charts.shards().get("s-0").consumed().get(0)).isNull();
        assertThat(charts.shards().get("s-0").lag()).containsExactly(100L, 95L);
    }

    @Test
    void anUnavailablePanelLeavesAGapNotAZero() {
        var history = new DashboardHistory(new HistoryProperties(Duration.ofMinutes(15), 900), clock);
        history.record(T0, null, null, null, null);

        var charts = history.charts();

        assertThat(charts.queueVisible()).containsExactly((Long) null);
        assertThat(charts.workersCurrent()).containsExactly((Double) null);
        assertThat(charts.deadLetters()).containsExactly((Long) null);
    }

    @Test
    void aMetricTheServiceDoesNotPublishIsAGap() {
        var history = new DashboardHistory(new HistoryProperties(Duration.ofMinutes(15), 900), clock);
        history.record(
                T0,
                List.of(),
                shipping(1, 1),
                new OrdersView(
                        Map.of(), 0, List.of(new MetricValue("outbox backlog", "outbox.backlog", null)), List.of()),
                null);

        assertThat(history.charts().outboxBacklog()).containsExactly((Double) null);
        assertThat(history.charts().workersCurrent()).containsExactly(1.0);
    }

    @Test
    void aSplitShardAddsItsChildrenWithGapsBeforeTheyExisted() {
        var history = new DashboardHistory(new HistoryProperties(Duration.ofMinutes(15), 900), clock);
        history.record(T0, List.of(), null, null, stream(shard("s-0", 10, 0L)));
        now = T0.plusSeconds(1);
        history.record(
                now, List.of(), null, null, stream(shard("s-0", 0, 0L), shard("s-1", 5, 1L), shard("s-2", 5, 2L)));

        var shards = history.charts().shards();

        assertThat(shards).containsOnlyKeys("s-0", "s-1", "s-2");
        assertThat(shards.get("s-1").ingest()).containsExactly(null, 5.0);
    }

    @Test
    void theRingKeepsOnlyTheNewestSamplesAndOnlyThoseInTheWindow() {
        var history = new DashboardHistory(new HistoryProperties(Duration.ofSeconds(60), 3), clock);
        for (int i = 0; i < 5; i++) {
            now = T0.plusSeconds(i);
            history.record(now, queues(i, 0, 0L), null, null, null);
        }
        assertThat(history.charts().queueVisible()).containsExactly(2L, 3L, 4L);

        now = T0.plusSeconds(63);
        assertThat(history.charts().queueVisible()).containsExactly(3L, 4L);
    }

    private static List<QueueDepth> queues(long visible, long inFlight, Long dead) {
        return List.of(
                new QueueDepth(DashboardHistory.QUEUE, false, visible, inFlight, 0, "shipping-orders-dlq", dead),
                new QueueDepth("analytics-orders", false, 99, 99, 0, "analytics-orders-dlq", 0L),
                new QueueDepth("shipping-orders-dlq", false, 0, 0, 0, null, null));
    }

    private static ShippingView shipping(double current, double desired) {
        return new ShippingView(
                List.of(
                        new MetricValue("workers (current)", "shipping.workers.current", current),
                        new MetricValue("workers (desired)", "shipping.workers.desired", desired)),
                List.of(),
                Map.of(),
                null,
                null);
    }

    private static OrdersView orders(double backlog) {
        return new OrdersView(
                Map.of(), 0, List.of(new MetricValue("outbox backlog", "outbox.backlog", backlog)), List.of());
    }

    private static StreamView stream(StreamView.Shard... shards) {
        return new StreamView("clickstream", 0, 0, "leases", List.of(shards), "kinesis");
    }

    private static StreamView.Shard shard(String id, double rate, Long lag) {
        return new StreamView.Shard(id, null, true, 0, rate, lag, false, "w", null);
    }
}
