package io.decoupled.order.outbox;

import java.util.ArrayList;
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

    /** Several outcomes as one: every list joined in order, the first call failure kept. */
    static BatchOutcome merge(List<BatchOutcome> outcomes) {
        var accepted = new ArrayList<PendingEvent>();
        var rejected = new ArrayList<Rejection>();
        var entryFailures = new ArrayList<Rejection>();
        Optional<Exception> callFailure = Optional.empty();
        for (var outcome : outcomes) {
            accepted.addAll(outcome.accepted());
            rejected.addAll(outcome.rejected());
            entryFailures.addAll(outcome.entryFailures());
            if (callFailure.isEmpty()) {
                callFailure = outcome.callFailure();
            }
        }
        return new BatchOutcome(accepted, rejected, entryFailures, callFailure);
    }

    /** SNS refused one entry inside an otherwise successful PublishBatch response. */
    record Rejection(PendingEvent event, String code, String message, boolean senderFault) {
        String describe() {
            return code + (message == null ? "" : ": " + message);
        }
    }
}
