package io.decoupled.analytics.kcl;

import java.time.Duration;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener.WorkerState;

/**
 * What the KCL worker is doing right now, in words for the console's analytics panel: before the first lease is
 * taken nothing is counted, and "zero clicks" alone reads like a fault. The state is the worker's own (its
 * {@link WorkerState} and the leases it holds), not guessed from outside.
 *
 * @param backend    always {@code kinesis} here (the Kafka listener has no such start-up phases)
 * @param state      the KCL's worker state: CREATED, INITIALIZING, STARTED, SHUT_DOWN_STARTED, SHUT_DOWN
 * @param leasesHeld shard leases this worker holds
 * @param status     one sentence: what the consumer is doing or waiting for
 */
record KclStatus(String backend, String state, int leasesHeld, String status) {

    static KclStatus of(WorkerState state, boolean seeding, int leasesHeld, KclProperties properties) {
        String status = switch (state) {
            case CREATED -> seeding ? "KCL: creating the shards' leases (empty lease table)" : "KCL: not started yet";
            case INITIALIZING ->
                properties.seedLeases()
                        ? "KCL: initialising (lease tables in DynamoDB, then the initial lease-table scan)"
                        : "KCL: initialising (lease tables in DynamoDB, then the initial lease-table scan; "
                                + "on an empty lease table the KCL first waits a random 1-30 s)";
            case STARTED ->
                leasesHeld == 0
                        ? "KCL: waiting for leases (leader election, then lease assignment every "
                                + assignmentInterval(properties).toMillis() + " ms)"
                        : "KCL: reading " + leasesHeld + (leasesHeld == 1 ? " shard" : " shards");
            case SHUT_DOWN_STARTED -> "KCL: shutting down (final checkpoints, releasing leases)";
            case SHUT_DOWN -> "KCL: stopped";
        };
        return new KclStatus("kinesis", state.name(), leasesHeld, status);
    }

    /** The KCL's own default when none is set: twice the failover time. */
    private static Duration assignmentInterval(KclProperties properties) {
        return properties.leaseAssignmentInterval() != null
                ? properties.leaseAssignmentInterval()
                : properties.failoverTime().multipliedBy(2);
    }
}
