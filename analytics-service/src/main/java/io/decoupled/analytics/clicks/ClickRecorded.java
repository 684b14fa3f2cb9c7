package io.decoupled.analytics.clicks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** The fields of a clickstream record (docs/contracts.md) that analytics reads; unknown fields are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ClickRecorded(UUID clickId, String sessionId, String page, Instant timestamp, String traceparent, String tracestate) {

    /** The reason this record cannot be counted, or null when it can. */
    String defect() {
        if (clickId == null) {
            return "no clickId";
        }
        if (sessionId == null || sessionId.isBlank()) {
            return "no sessionId";
        }
        if (page == null || page.isBlank()) {
            return "no page";
        }
        return timestamp == null ? "no timestamp" : null;
    }
}
