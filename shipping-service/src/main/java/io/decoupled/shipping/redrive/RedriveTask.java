package io.decoupled.shipping.redrive;

import java.time.Instant;

/**
 * A redrive of the whole DLQ, in the shape of ListMessageMoveTasks' result so both modes read alike.
 *
 * @param mode   {@code MESSAGE_MOVE_TASK} (SQS moves the messages) or {@code RECEIVE_SEND_DELETE} (this service does)
 * @param status RUNNING, COMPLETED, CANCELLED or FAILED
 */
record RedriveTask(
        String taskHandle,
        String mode,
        String status,
        long moved,
        Long toMove,
        Instant startedAt,
        String failureReason) {
    static final String MOVE_TASK = "MESSAGE_MOVE_TASK";
    static final String RECEIVE_SEND_DELETE = "RECEIVE_SEND_DELETE";
}
