package io.decoupled.console.dashboard;

import io.decoupled.console.cost.CostMeter;
import io.decoupled.console.faults.ProcessFaults;
import io.decoupled.console.history.DashboardHistory;
import io.decoupled.console.load.LoadGenerator;
import io.decoupled.console.panel.Panel;
import io.decoupled.console.queues.QueueDepths;
import io.decoupled.console.services.AnalyticsSource;
import io.decoupled.console.services.OrdersSource;
import io.decoupled.console.services.ServiceHealth;
import io.decoupled.console.services.ShippingSource;
import io.decoupled.console.stream.ClickstreamPanel;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gathers every panel on a fixed delay, in parallel, and keeps the latest snapshot. Browsers read the
 * snapshot, so ten open tabs cost the services no more than one, and a slow source delays only its own panel
 * by at most the HTTP timeout.
 */
@Component
class DashboardCollector {
    private static final Logger log = LoggerFactory.getLogger(DashboardCollector.class);
    private static final String SOURCE_PROCESS_FAULTS =
            "the embedded launcher (analytics' database gate, shipping-service's process)";
    private final ServiceHealth health;
    private final OrdersSource orders;
    private final QueueDepths queues;
    private final ShippingSource shipping;
    private final ClickstreamPanel stream;
    private final AnalyticsSource analytics;
    private final LoadGenerator load;
    private final DashboardHistory history;
    private final CostMeter cost;
    private final ObjectProvider<ProcessFaults> processFaults;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private volatile Dashboard latest;

    DashboardCollector(
            ServiceHealth health,
            OrdersSource orders,
            QueueDepths queues,
            ShippingSource shipping,
            ClickstreamPanel stream,
            AnalyticsSource analytics,
            LoadGenerator load,
            DashboardHistory history,
            CostMeter cost,
            ObjectProvider<ProcessFaults> processFaults) {
        this.processFaults = processFaults;
        this.health = health;
        this.orders = orders;
        this.queues = queues;
        this.shipping = shipping;
        this.stream = stream;
        this.analytics = analytics;
        this.load = load;
        this.history = history;
        this.cost = cost;
    }

    Dashboard latest() {
        var current = latest;
        return current != null ? current : collect();
    }

    @Scheduled(fixedDelayString = "${console.dashboard.refresh:1s}")
    Dashboard collect() {
        var services = submit(health::read, "services");
        var ordersPanel = submit(orders::read, "order-service");
        var queuesPanel = submit(queues::read, "SQS");
        var shippingPanel = submit(shipping::read, "shipping-service");
        var analyticsPanel = submit(analytics::read, "analytics-service");
        var ordersNow = join(ordersPanel);
        var streamPanel = stream.read();
        var costPanel = submit(
                () -> cost.read(
                        ordersNow.available() ? ordersNow.data().total() : null,
                        streamPanel.available() ? streamPanel.data().recordsSeen() : null),
                "cost meter");
        var dashboard = new Dashboard(
                clock.instant(),
                join(services),
                ordersNow,
                join(queuesPanel),
                join(shippingPanel),
                streamPanel,
                join(analyticsPanel),
                join(costPanel),
                processFaultsPanel(),
                load.progress());
        latest = dashboard;
        history.record(
                dashboard.at(),
                dataOf(dashboard.queues()),
                dataOf(dashboard.shipping()),
                dataOf(dashboard.orders()),
                dataOf(dashboard.stream()));
        return dashboard;
    }

    private Panel<ProcessFaults.State> processFaultsPanel() {
        var faults = processFaults.getIfAvailable();
        return faults == null
                ? Panel.unavailable(SOURCE_PROCESS_FAULTS, "not available: " + DashboardController.NO_PROCESS_FAULTS)
                : Panel.of(SOURCE_PROCESS_FAULTS, faults.state());
    }

    private static <T> T dataOf(Panel<T> panel) {
        return panel.available() ? panel.data() : null;
    }

    private <T> Future<Panel<T>> submit(Supplier<Panel<T>> source, String name) {
        return pool.submit(() -> {
            try {
                return source.get();
            } catch (RuntimeException e) {
                // A source's own bug must not blank the whole page; the log has it, the page says where to look.
                log.warn("The dashboard's {} panel could not be read", name, e);
                return Panel.unavailable(name, "not available: the console could not read it; its log has the cause");
            }
        });
    }

    private static <T> Panel<T> join(Future<Panel<T>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Panel.unavailable("collector", "interrupted");
        } catch (ExecutionException e) {
            return Panel.unavailable("collector", e.getCause().toString());
        }
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }
}
