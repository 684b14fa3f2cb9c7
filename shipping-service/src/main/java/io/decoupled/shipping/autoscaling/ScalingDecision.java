package io.decoupled.shipping.autoscaling;

/**
 * What the policy decided and why.
 *
 * @param desiredWorkers           the pool size to apply
 * @param backlogPerWorker         visible messages per current worker (the metric AWS target tracking watches)
 * @param acceptableBacklogPerWorker the target: acceptable latency / average processing time
 * @param reason                   why, for the log and the metrics
 */
record ScalingDecision(int desiredWorkers, double backlogPerWorker, double acceptableBacklogPerWorker, Reason reason) {

    enum Reason {
        /** The backlog is more than the current workers can clear within the acceptable latency. */
        SCALE_OUT,
        /** Messages arrived while no worker was running (the "alarm never fires from zero" case). */
        SCALE_FROM_ZERO,
        /** The backlog has stayed small for the whole stabilization window. */
        SCALE_IN,
        /** Fewer workers would do now, but not for the whole window yet. */
        HOLD_STABILIZING,
        /** The pool already has the size the backlog calls for. */
        STEADY
    }
}
