package io.decoupled.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Faults injected into the service's own SNS client, in front of the real emulator: an outage (every call fails
 * as if SNS were unreachable) and partial failures (some PublishBatch entries are withheld from SNS and reported
 * back as failed inside a successful response, as SNS does: transiently, or as the sender's fault). What is not
 * withheld really reaches the emulator.
 */
public final class SnsFaults implements ExecutionInterceptor {
    private static final ExecutionAttribute<List<String>> WITHHELD = new ExecutionAttribute<>("withheld-entries");
    private static final String DECOY = "decoy";
    private static final ExecutionAttribute<List<String>> SENDER_FAULTS =
            new ExecutionAttribute<>("sender-fault-entries");

    private volatile boolean outage;
    private volatile boolean rejectEveryOtherEntryOnce;
    private volatile boolean failEveryEntry;
    private volatile String refusalOfEveryEntry;
    private final Set<String> senderFaultEntries = ConcurrentHashMap.newKeySet();
    private final Set<String> transientFaultEntries = ConcurrentHashMap.newKeySet();
    private final Set<String> invalidCallEntries = ConcurrentHashMap.newKeySet();
    private final AtomicInteger invalidCalls = new AtomicInteger();
    private final Set<String> rejectedBefore = ConcurrentHashMap.newKeySet();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger refusedCalls = new AtomicInteger();

    public void outage(boolean on) {
        outage = on;
    }

    /** Rejects every second entry of a batch the first time it is sent. */
    public void rejectEveryOtherEntryOnce(boolean on) {
        rejectEveryOtherEntryOnce = on;
    }

    /**
     * Answers every PublishBatch call but refuses each of its entries with this code (e.g. {@code KMSDisabled}), as SNS
     * does per entry when the topic's key cannot be used; {@code null} turns it off.
     */
    public void refuseEveryEntryWith(String code) {
        refusalOfEveryEntry = code;
    }

    /** Refuses these entries (by event id) every time, as the sender's fault, as SNS does for an invalid entry. */
    public void rejectAsSenderFault(String entryId) {
        senderFaultEntries.add(entryId);
    }

    /**
     * Fails every entry inside otherwise successful responses, as SNS's own fault (InternalError), as during an SNS
     * incident; {@code false} ends it.
     */
    public void failEveryEntryOnSnsSide(boolean on) {
        failEveryEntry = on;
    }

    /** Fails these entries (by event id) every time inside a successful response, as SNS's own fault (InternalError). */
    public void failTransientlyAlways(String entryId) {
        transientFaultEntries.add(entryId);
    }

    /**
     * Refuses every PublishBatch call that contains this entry as a whole, with a 400, as SNS does when one entry makes
     * the request invalid (an attribute it cannot parse, a batch over 256 KiB): no entry of such a call is published.
     */
    public void refuseCallsContaining(String entryId) {
        invalidCallEntries.add(entryId);
    }

    public int invalidCalls() {
        return invalidCalls.get();
    }

    public int rejectedEntries() {
        return rejected.get();
    }

    public int refusedCalls() {
        return refusedCalls.get();
    }

    public void reset() {
        outage = false;
        rejectEveryOtherEntryOnce = false;
        failEveryEntry = false;
        refusalOfEveryEntry = null;
        senderFaultEntries.clear();
        transientFaultEntries.clear();
        invalidCallEntries.clear();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (outage) {
            refusedCalls.incrementAndGet();
            throw SdkClientException.create("injected: SNS unreachable");
        }
        if (context.request() instanceof PublishBatchRequest request
                && request.publishBatchRequestEntries().stream().anyMatch(e -> invalidCallEntries.contains(e.id()))) {
            invalidCalls.incrementAndGet();
            throw SnsException.builder()
                    .statusCode(400)
                    .message("injected: the batch is invalid")
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("InvalidParameter")
                            .errorMessage("injected: the batch is invalid")
                            .build())
                    .build();
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof PublishBatchRequest request)) {
            return context.request();
        }
        var kept = new ArrayList<>(request.publishBatchRequestEntries());
        var withheld = new ArrayList<String>();
        var senderFaults = new ArrayList<String>();
        for (int i = 0; i < request.publishBatchRequestEntries().size(); i++) {
            var entry = request.publishBatchRequestEntries().get(i);
            if (refusalOfEveryEntry != null || senderFaultEntries.contains(entry.id())) {
                kept.remove(entry);
                senderFaults.add(entry.id());
            } else if (failEveryEntry || transientFaultEntries.contains(entry.id())) {
                kept.remove(entry);
                withheld.add(entry.id());
            } else if (rejectEveryOtherEntryOnce && i % 2 == 1 && rejectedBefore.add(entry.id())) {
                kept.remove(entry);
                withheld.add(entry.id());
            }
        }
        attributes.putAttribute(WITHHELD, withheld);
        attributes.putAttribute(SENDER_FAULTS, senderFaults);
        if (kept.isEmpty()) {
            // SNS rejects an empty batch; a decoy (no attributes, so only the unfiltered queue gets it, and no
            // test claims it) keeps the call real, and its success is removed from the response again.
            kept.add(PublishBatchRequestEntry.builder()
                    .id(DECOY)
                    .message("{\"decoy\":true}")
                    .build());
        }
        return request.toBuilder().publishBatchRequestEntries(kept).build();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        var withheld = attributes.getAttribute(WITHHELD);
        var senderFaults = attributes.getAttribute(SENDER_FAULTS);
        if (withheld == null || !(context.response() instanceof PublishBatchResponse response)) {
            return context.response();
        }
        rejected.addAndGet(withheld.size() + senderFaults.size());
        var failed = new ArrayList<>(response.failed());
        var successful = response.successful().stream()
                .filter(e -> !e.id().equals(DECOY))
                .toList();
        withheld.forEach(id -> failed.add(BatchResultErrorEntry.builder()
                .id(id)
                .code("InternalError")
                .message("injected partial failure")
                .senderFault(false)
                .build()));
        var code = refusalOfEveryEntry == null ? "InvalidParameter" : refusalOfEveryEntry;
        senderFaults.forEach(id -> failed.add(BatchResultErrorEntry.builder()
                .id(id)
                .code(code)
                .message("injected: refused entry")
                .senderFault(true)
                .build()));
        return response.toBuilder().successful(successful).failed(failed).build();
    }
}
