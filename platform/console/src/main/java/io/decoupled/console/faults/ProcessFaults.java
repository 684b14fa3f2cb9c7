package io.decoupled.console.faults;

import io.decoupled.console.services.ActionResult;
import java.time.Instant;

/**
 * Fault switches on the processes of the system rather than on a service's API: analytics' database cut off, and
 * one shipping-service process killed outright. Only the embedded launcher owns those processes and the database's
 * connections, so it is the only implementation; where it is absent (compose, a deployed system) the switches
 * answer 409 and the page says why.
 */
public interface ProcessFaults {

    /** Cuts analytics-service off its database (every open connection closed, new ones refused) or ends the outage. */
    ActionResult analyticsDatabase(boolean available);

    /** SIGKILL of the running shipping-service process, then a replacement started with the same settings. */
    ActionResult killShippingWorker();

    State state();

    /**
     * What the page shows next to the switches.
     *
     * @param analyticsDatabaseDownSince when the current outage began, null while the database is available
     * @param shippingPid the running shipping-service process, 0 when none
     * @param shippingUp whether that process reports healthy (false while a replacement starts)
     * @param shippingKills how many processes the switch has killed so far
     * @param lastKilledPid the last process killed, 0 when none
     */
    record State(
            boolean analyticsDatabaseAvailable,
            Instant analyticsDatabaseDownSince,
            long shippingPid,
            boolean shippingUp,
            int shippingKills,
            long lastKilledPid) {}
}
