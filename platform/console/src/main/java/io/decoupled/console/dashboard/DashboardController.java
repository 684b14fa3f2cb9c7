package io.decoupled.console.dashboard;

import io.decoupled.console.faults.ProcessFaults;
import io.decoupled.console.history.Charts;
import io.decoupled.console.history.DashboardHistory;
import io.decoupled.console.load.LoadGenerator;
import io.decoupled.console.load.LoadProgress;
import io.decoupled.console.queues.PoisonInjector;
import io.decoupled.console.services.ActionResult;
import io.decoupled.console.services.OrderPathSource;
import io.decoupled.console.services.OrdersSource;
import io.decoupled.console.services.ShippingSource;
import io.decoupled.console.stream.Resharding;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The page's JSON API: the latest snapshot, and the buttons (burst, poison, redrive, load on/off and rates).
 * Bad input is a 400 problem+json (Spring's ProblemDetail support); a downstream that cannot do what a button
 * asks is a 502 with the reason, so the page can say what happened. Every answer is JSON: a caller that accepts no
 * JSON gets its 406 before a handler runs, so a refused request changes nothing.
 */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
class DashboardController {
    static final String NO_PROCESS_FAULTS = "only the embedded demo owns analytics' database and shipping's processes; "
            + "elsewhere stop the database or kill a task with the platform's own tools";
    private final DashboardCollector collector;
    private final LoadGenerator load;
    private final PoisonInjector poison;
    private final ShippingSource shipping;
    private final OrdersSource orders;
    private final DashboardHistory history;
    private final OrderPathSource paths;
    private final ObjectProvider<Resharding> resharding;
    private final ObjectProvider<ProcessFaults> processFaults;

    DashboardController(
            DashboardCollector collector,
            LoadGenerator load,
            PoisonInjector poison,
            ShippingSource shipping,
            DashboardHistory history,
            OrderPathSource paths,
            ObjectProvider<Resharding> resharding,
            OrdersSource orders,
            ObjectProvider<ProcessFaults> processFaults) {
        this.processFaults = processFaults;
        this.collector = collector;
        this.load = load;
        this.poison = poison;
        this.shipping = shipping;
        this.history = history;
        this.paths = paths;
        this.resharding = resharding;
        this.orders = orders;
    }

    /** The new load settings from the dashboard's form. */
    record LoadSettings(
            @NotNull Boolean running,
            @NotNull @DecimalMin("0") @DecimalMax("500") Double ordersPerSecond,
            @NotNull @DecimalMin("0") @DecimalMax("5000") Double clicksPerSecond,
            @NotNull @DecimalMin("0") @DecimalMax("1") Double poisonShare) {}

    @GetMapping("/dashboard")
    Dashboard dashboard() {
        return collector.latest();
    }

    /** The charts' window (15 minutes by default), kept server-side so a page opened late still sees it. */
    @GetMapping("/history")
    Charts history() {
        return history.charts();
    }

    /** One order's hops across the services; an id that is not a UUID is a 400 naming the field (ApiProblems). */
    @GetMapping("/orders/{orderId}/path")
    ResponseEntity<?> orderPath(@PathVariable UUID orderId) {
        var path = paths.path(orderId);
        return path.found()
                ? ResponseEntity.ok(path)
                : problem(HttpStatus.NOT_FOUND, "order-service knows no order with id " + orderId);
    }

    @GetMapping("/orders/recent")
    List<String> recentOrders() {
        return paths.recent();
    }

    @PutMapping("/load")
    LoadProgress load(@Valid @RequestBody LoadSettings settings) {
        load.setRates(
                new LoadProgress.Rates(settings.ordersPerSecond(), settings.clicksPerSecond(), settings.poisonShare()));
        if (settings.running()) {
            load.start();
        } else {
            load.stop();
        }
        return load.progress();
    }

    @PostMapping("/actions/burst")
    ResponseEntity<Map<String, Object>> burst(@RequestParam(required = false) @Min(1) @Max(10_000) Integer count) {
        int size = count == null ? load.defaultBurstSize() : count;
        load.burst(size);
        return ResponseEntity.accepted()
                .body(Map.of("message", "sending a burst of " + size + " orders", "count", size));
    }

    @PostMapping("/actions/poison")
    ResponseEntity<?> poison() {
        try {
            String id = poison.inject();
            return ResponseEntity.accepted()
                    .body(Map.of("message", "poison message " + id + " sent to shipping-orders", "messageId", id));
        } catch (SdkException e) {
            return problem(HttpStatus.BAD_GATEWAY, "SQS did not accept the poison message: " + e.getMessage());
        }
    }

    @PostMapping("/actions/redrive")
    ResponseEntity<?> redrive() {
        var result = shipping.redriveAll();
        return result.accepted()
                ? ResponseEntity.accepted().body(Map.of("message", "redrive: " + result.detail()))
                : problem(HttpStatus.BAD_GATEWAY, result.detail());
    }

    /** The carrier fault switch's form: booking latency and the share of bookings that fail. */
    record CarrierFault(
            @NotNull @Min(0) @Max(60_000) Long latencyMillis,
            @NotNull @DecimalMin("0") @DecimalMax("1") Double failureRate) {}

    /** Fault switch: a slow and flaky carrier in shipping-service; reversed by DELETE. */
    @PutMapping("/faults/carrier")
    ResponseEntity<?> carrierFault(@Valid @RequestBody CarrierFault fault) {
        return admin(shipping.carrierFault(fault.latencyMillis(), fault.failureRate()));
    }

    @DeleteMapping("/faults/carrier")
    ResponseEntity<?> resetCarrierFault() {
        return admin(shipping.resetCarrierFault());
    }

    private static ResponseEntity<?> admin(ActionResult result) {
        return result.accepted()
                ? ResponseEntity.accepted().body(Map.of("message", result.detail()))
                : problem(HttpStatus.BAD_GATEWAY, result.detail());
    }

    /** Fault switch: SNS unreachable for order-service's outbox relay; reversed by DELETE. */
    @PutMapping("/faults/sns-outage")
    ResponseEntity<?> snsOutage() {
        return admin(orders.snsUnreachable(true));
    }

    @DeleteMapping("/faults/sns-outage")
    ResponseEntity<?> endSnsOutage() {
        return admin(orders.snsUnreachable(false));
    }

    /** Fault switch: analytics-service cut off its database (embedded demo only); reversed by DELETE. */
    @PutMapping("/faults/analytics-database-outage")
    ResponseEntity<?> analyticsDatabaseOutage() {
        return processFault(faults -> faults.analyticsDatabase(false));
    }

    @DeleteMapping("/faults/analytics-database-outage")
    ResponseEntity<?> endAnalyticsDatabaseOutage() {
        return processFault(faults -> faults.analyticsDatabase(true));
    }

    /** Fault switch: SIGKILL of the shipping-service process, replaced at once (embedded demo only). */
    @PostMapping("/faults/shipping-kill")
    ResponseEntity<?> killShippingWorker() {
        return processFault(ProcessFaults::killShippingWorker);
    }

    private ResponseEntity<?> processFault(Function<ProcessFaults, ActionResult> change) {
        var faults = processFaults.getIfAvailable();
        if (faults == null) {
            return problem(HttpStatus.CONFLICT, NO_PROCESS_FAULTS);
        }
        var result = change.apply(faults);
        return result.accepted()
                ? ResponseEntity.accepted().body(Map.of("message", result.detail()))
                : problem(HttpStatus.CONFLICT, result.detail());
    }

    /** Fault switch: split the widest open shard (reversed by the merge switch); Kinesis only. */
    @PostMapping("/faults/shard-split")
    ResponseEntity<?> splitShard() {
        return reshard(Resharding::split);
    }

    @PostMapping("/faults/shard-merge")
    ResponseEntity<?> mergeShards() {
        return reshard(Resharding::merge);
    }

    private ResponseEntity<?> reshard(Function<Resharding, String> change) {
        var kinesis = resharding.getIfAvailable();
        if (kinesis == null) {
            return problem(
                    HttpStatus.CONFLICT, "the clickstream runs on Kafka here: partitions are not split at run time");
        }
        try {
            return ResponseEntity.accepted().body(Map.of("message", change.apply(kinesis)));
        } catch (IllegalStateException e) {
            return problem(HttpStatus.CONFLICT, e.getMessage());
        } catch (SdkException e) {
            return problem(HttpStatus.BAD_GATEWAY, "Kinesis refused: " + e.getMessage());
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        // Its own media type: the mapping's JSON would otherwise be chosen for the problem too.
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
