package io.decoupled.clicks.click;

import java.util.HashMap;
import java.util.List;
import java.util.UUID;

/**
 * Two clicks of one request with the same client {@code clickId}: analytics counts a click id once, so the second
 * would be accepted and never counted. Refused as a 400 naming the second one instead.
 */
final class RepeatedClickId extends RuntimeException {
    private final int index;
    private final int firstIndex;

    private RepeatedClickId(int index, int firstIndex) {
        super("[" + index + "].clickId", null, false, false);
        this.index = index;
        this.firstIndex = firstIndex;
    }

    /** Throws for the first click whose id an earlier click of the same request already has (ids compared as UUIDs). */
    static void check(List<ClickRequest> clicks) {
        var seen = new HashMap<UUID, Integer>();
        for (int i = 0; i < clicks.size(); i++) {
            var id = clicks.get(i).clickId();
            if (id != null) {
                var first = seen.putIfAbsent(UUID.fromString(id), i);
                if (first != null) {
                    throw new RepeatedClickId(i, first);
                }
            }
        }
    }

    String field() {
        return "[" + index + "].clickId";
    }

    String reason() {
        return "repeats the clickId of [" + firstIndex + "]; each click of a request needs its own";
    }
}
