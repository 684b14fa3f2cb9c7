package io.decoupled.analytics.clicks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** The fields of a clickstream record (docs/contracts.md) that analytics reads; unknown fields are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ClickRecorded(
        UUID clickId, String sessionId, String page, Instant timestamp, String traceparent, String tracestate) {
    /**
     * The event times analytics can window and store: wider than click-ingest's 1970..9999 (so everything it accepts
     * is counted) and inside what PostgreSQL {@code timestamptz} and {@code java.sql.Timestamp} hold. Checked here so
     * that such a record is set aside on reading rather than found by a failing insert.
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    static final Instant AFTER_LATEST = Instant.parse("+10000-01-01T00:00:00Z");

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
        if (timestamp == null) {
            return "no timestamp";
        }
        if (timestamp.isBefore(EARLIEST) || !timestamp.isBefore(AFTER_LATEST)) {
            return "timestamp out of range: " + timestamp + " (accepted " + EARLIEST + " to " + AFTER_LATEST + ")";
        }
        return null;
    }
}
