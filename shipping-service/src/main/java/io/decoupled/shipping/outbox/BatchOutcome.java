package io.decoupled.shipping.outbox;

import java.util.List;
import java.util.Optional;

/**
 * What SNS did with one claimed batch. Entries in neither {@code accepted} nor {@code rejected} were not answered
 * (the call failed) and stay pending untouched; accepted entries are accepted even when a later retry of the rest
 * failed. {@code entryFailures} lists every per-entry failure seen on the way, including those a retry then fixed.
 */
record BatchOutcome(
        List<PendingEvent> accepted,
        List<Rejection> rejected,
        List<Rejection> entryFailures,
        Optional<Exception> callFailure) {

    BatchOutcome {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
        entryFailures = List.copyOf(entryFailures);
    }

    /** SNS refused one entry inside an otherwise successful PublishBatch response. */
    record Rejection(PendingEvent event, String code, String message, boolean senderFault) {
        String describe() {
            return code + (message == null ? "" : ": " + message);
        }
    }
}
