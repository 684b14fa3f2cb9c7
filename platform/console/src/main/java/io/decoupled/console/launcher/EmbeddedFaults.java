package io.decoupled.console.launcher;

import io.decoupled.console.faults.ProcessFaults;
import io.decoupled.console.services.ActionResult;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The process-level fault switches of the embedded demo, which owns the processes: analytics' database behind a
 * {@link DatabaseGate}, and shipping-service's process, killed with SIGKILL and replaced (what a supervisor such as
 * ECS does after a task dies). Each switch is reversible or self-healing, so the demo always ends with every order
 * and click accounted.
 */
final class EmbeddedFaults implements ProcessFaults {
    private final Optional<DatabaseGate> analyticsDatabase;
    private final Optional<ServiceProcess> shipping;
    private final Clock clock;
    private volatile boolean shippingUp = true;
    private int kills;
    private long lastKilledPid;
    private CompletableFuture<Void> replacement = CompletableFuture.completedFuture(null);

    EmbeddedFaults(Optional<DatabaseGate> analyticsDatabase, Optional<ServiceProcess> shipping, Clock clock) {
        this.analyticsDatabase = analyticsDatabase;
        this.shipping = shipping;
        this.clock = clock;
    }

    @Override
    public ActionResult analyticsDatabase(boolean available) {
        if (analyticsDatabase.isEmpty()) {
            return new ActionResult(false, "analytics-service is not running in this demo (no jar built)");
        }
        var gate = analyticsDatabase.get();
        if (available) {
            return gate.restore()
                    ? new ActionResult(
                            true,
                            "analytics' database is back: its listeners' retries succeed, the lag drains and every click and order is counted")
                    : new ActionResult(false, "analytics' database is not down");
        }
        return gate.cut(clock.instant())
                ? new ActionResult(
                        true,
                        "analytics' database is down: its connections are closed and new ones refused; the KCL and SQS "
                                + "listeners retry without checkpointing or deleting, so the lag grows and nothing is lost")
                : new ActionResult(false, "analytics' database is already down");
    }

    @Override
    public synchronized ActionResult killShippingWorker() {
        if (shipping.isEmpty()) {
            return new ActionResult(false, "shipping-service is not running in this demo (no jar built)");
        }
        if (!replacement.isDone()) {
            return new ActionResult(
                    false, "a replacement shipping-service process is still starting; kill it once it is up");
        }
        var process = shipping.get();
        long killed;
        try {
            killed = process.killAndReplace();
        } catch (IllegalStateException e) {
            return new ActionResult(false, e.getMessage());
        }
        kills++;
        lastKilledPid = killed;
        shippingUp = false;
        // Waiting for health can take a minute on a busy laptop: a virtual thread of its own, not the common pool.
        replacement = CompletableFuture.runAsync(
                () -> {
                    try {
                        process.awaitHealthy(EmbeddedSystem.HEALTH_TIMEOUT);
                        shippingUp = true;
                    } catch (IllegalStateException e) {
                        EmbeddedSystem.say(
                                "  the replacement shipping-service did not become healthy: " + e.getMessage());
                    }
                },
                task -> Thread.ofVirtual().name("shipping-replacement").start(task));
        return new ActionResult(
                true,
                "shipping-service pid " + killed + " killed (SIGKILL) while working; replacement pid " + process.pid()
                        + " is starting. The messages it held in flight reappear after their visibility timeout and are shipped once "
                        + "(the idempotent consumer recognises those it had already shipped)");
    }

    @Override
    public synchronized State state() {
        var gate = analyticsDatabase.map(DatabaseGate::closedSince).orElse(null);
        return new State(
                gate == null,
                gate,
                shipping.map(ServiceProcess::pid).orElse(0L),
                shipping.isPresent() && shippingUp && shipping.get().isAlive(),
                kills,
                lastKilledPid);
    }
}
