package io.decoupled.console.dashboard;

import io.decoupled.console.cost.CostView;
import io.decoupled.console.faults.ProcessFaults;
import io.decoupled.console.load.LoadProgress;
import io.decoupled.console.panel.Panel;
import io.decoupled.console.queues.QueueDepth;
import io.decoupled.console.services.OrdersSource.OrdersView;
import io.decoupled.console.services.ServiceHealth;
import io.decoupled.console.services.ShippingSource.ShippingView;
import io.decoupled.console.stream.StreamView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Everything the page shows, gathered at one instant; served as JSON at GET /api/dashboard. */
public record Dashboard(
        Instant at,
        Panel<Map<String, ServiceHealth.Status>> services,
        Panel<OrdersView> orders,
        Panel<List<QueueDepth>> queues,
        Panel<ShippingView> shipping,
        Panel<StreamView> stream,
        Panel<Map<String, JsonNode>> analytics,
        Panel<CostView> cost,
        Panel<ProcessFaults.State> processFaults,
        LoadProgress load) {}
