package io.decoupled.order.outbox;

import java.util.List;
import java.util.Optional;

/**
 * What SNS did with one claimed batch. Entries in neither list were not answered (the call failed) and stay
 * pending untouched; accepted entries are accepted even when a later retry of the rest failed.
 */
record BatchOutcome(List<PendingEvent> accepted, List<Rejection> rejected, Optional<Exception> callFailure) {

    BatchOutcome {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }

    /** SNS refused one entry inside an otherwise successful PublishBatch response. */
    record Rejection(PendingEvent event, String code, String message, boolean senderFault) {
        String describe() {
            return code + (message == null ? "" : ": " + message);
        }
    }
}
