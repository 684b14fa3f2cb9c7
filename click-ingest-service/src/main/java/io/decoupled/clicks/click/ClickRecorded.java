package io.decoupled.clicks.click;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The {@code clickstream} record (see docs/contracts.md), owned by this service: an integration event on
 * the wire, partitioned by {@code sessionId}. Consumers ignore fields they do not know.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ClickRecorded(
        ClickId clickId,
        SessionId sessionId,
        String userId,
        String page,
        String referrer,
        Instant timestamp,
        Instant receivedAt,
        String traceparent,
        String tracestate) {

    /**
     * @param traceparent the W3C trace context of the request that accepted the click (Kinesis records have no
     *                    attributes, so it travels in the record); {@code null} when there is none
     */
    static ClickRecorded accept(ClickRequest request, Instant receivedAt, String traceparent, String tracestate) {
        return new ClickRecorded(
                ClickId.sentOrRandom(request.clickId()),
                new SessionId(request.sessionId()),
                request.userId(),
                request.page(),
                request.referrer(),
                request.timestamp(),
                receivedAt,
                traceparent,
                tracestate);
    }
}
