package io.decoupled.console.load;

/**
 * What the load generator has done, for the dashboard and the console log. "accepted" means the service
 * answered 2xx; "rejected" a 4xx (a bug in the generator or a validation change in the service);
 * "throttled" a 429 (click-ingest's back-pressure, working as designed); "failed" a 5xx or no answer.
 */
public record LoadProgress(
        boolean running,
        Rates target,
        long ordersSent,
        long ordersAccepted,
        long ordersRejected,
        long ordersFailed,
        long clicksSent,
        long clicksAccepted,
        long clicksThrottled,
        long clicksRejected,
        long clicksFailed,
        long poisonInjected,
        long bursts,
        long skipped,
        double ordersAcceptedPerSecond,
        double clicksAcceptedPerSecond,
        String lastProblem) {

    /** The rates the generator aims at. */
    public record Rates(double ordersPerSecond, double clicksPerSecond, double poisonShare) {}
}
