package io.decoupled.clicks.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Test fault injection at the SDK level, as a throttled shard would behave: chosen entries are removed from
 * a PutRecords request before it is sent (so the emulator never stores them) and put back into the response
 * as failed with {@code ProvisionedThroughputExceededException} (or another code), with {@code FailedRecordCount}
 * raised to match. It can also hold calls back, to fill the producer's buffer, and refuse whole calls before they are
 * sent (so the emulator stores nothing of them), as Kinesis does when the stream's KMS key or the credentials refuse
 * every request, or as the client does when the stream cannot be reached.
 */
public final class PutRecordsFaultInjector implements ExecutionInterceptor {
    /** Fails nothing. */
    public static final FaultPolicy NONE = (index, entry) -> false;

    /** Sent instead when every entry of a request is failed: PutRecords needs at least one entry. Readers ignore it. */
    public static final String PROBE_KEY = "fault-injection-probe";

    private static final ExecutionAttribute<Injection> INJECTION = new ExecutionAttribute<>("injected-failures");

    private record Injection(int originalSize, List<Integer> failed, boolean probe) {}

    @FunctionalInterface
    public interface FaultPolicy {
        boolean fail(int index, PutRecordsRequestEntry entry);
    }

    private static final String THROTTLED = "ProvisionedThroughputExceededException";

    private volatile FaultPolicy policy = NONE;
    private volatile String entryError = THROTTLED;
    private volatile Supplier<RuntimeException> refusal;
    private final AtomicInteger refused = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final AtomicInteger injected = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    /**
     * Every third entry of each request (index 1, 4, 7...), each record at most once, until {@code budget}
     * entries have been failed: every injected failure then costs exactly one retry.
     */
    public static FaultPolicy everyThirdEntryOnce(int budget) {
        var left = new AtomicInteger(budget);
        var failedBefore = ConcurrentHashMap.<SdkBytes>newKeySet();
        return (index, entry) -> index % 3 == 1
                && !failedBefore.contains(entry.data())
                && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                && failedBefore.add(entry.data());
    }

    /** Installs this injector on a client builder, keeping the override configuration already set. */
    public void installOn(SdkClientBuilder<?, ?> builder) {
        var current = builder.overrideConfiguration();
        builder.overrideConfiguration(
                current.toBuilder().addExecutionInterceptor(this).build());
    }

    /** Every entry with this partition key, always. */
    public static FaultPolicy partitionKey(String key) {
        return (index, entry) -> entry.partitionKey().equals(key);
    }

    public void policy(FaultPolicy policy) {
        policy(policy, THROTTLED);
    }

    /** Fails the entries the policy chooses with this error code instead of throttling. */
    public void policy(FaultPolicy policy, String errorCode) {
        this.entryError = errorCode;
        this.policy = policy;
    }

    /**
     * A whole call refused by Kinesis with this HTTP status and error code, as for a KMS key or credentials that refuse
     * every request: the modelled exception the client would throw for that answer.
     */
    public static Supplier<RuntimeException> refusedWith(int status, String errorCode) {
        return () -> KinesisException.builder()
                .statusCode(status)
                .message(errorCode + " (injected by the test)")
                .awsErrorDetails(AwsErrorDetails.builder()
                        .serviceName("Kinesis")
                        .errorCode(errorCode)
                        .errorMessage("injected by the test")
                        .build())
                .build();
    }

    /** A whole call that never reached the stream, as the client reports a connection refused. */
    public static Supplier<RuntimeException> unreachable() {
        return () ->
                SdkClientException.create("Unable to execute HTTP request: Connection refused (injected by the test)");
    }

    /** Refuses every PutRecords call, before it is sent, with what {@code refusal} makes, until {@link #heal()}. */
    public void refuseCalls(Supplier<RuntimeException> refusal) {
        this.refusal = refusal;
    }

    /** Stops refusing whole calls. */
    public void heal() {
        refusal = null;
    }

    /** Calls refused as a whole so far. */
    public int refused() {
        return refused.get();
    }

    /** Holds every PutRecords call until {@link #open()}. */
    public void close() {
        gate = new CountDownLatch(1);
    }

    public void open() {
        gate.countDown();
    }

    public int injected() {
        return injected.get();
    }

    public int calls() {
        return calls.get();
    }

    public void reset() {
        open();
        heal();
        policy(NONE);
        injected.set(0);
        calls.set(0);
        refused.set(0);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof PutRecordsRequest request)) {
            return context.request();
        }
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the fault injector's gate stayed closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.incrementAndGet();
        var refuse = refusal;
        if (refuse != null) {
            refused.incrementAndGet();
            throw refuse.get();
        }
        var kept = new ArrayList<PutRecordsRequestEntry>();
        var failed = new ArrayList<Integer>();
        var current = policy;
        for (int i = 0; i < request.records().size(); i++) {
            var entry = request.records().get(i);
            if (current.fail(i, entry)) {
                failed.add(i);
            } else {
                kept.add(entry);
            }
        }
        if (failed.isEmpty()) {
            return request;
        }
        injected.addAndGet(failed.size());
        boolean probe = kept.isEmpty();
        attributes.putAttribute(INJECTION, new Injection(request.records().size(), failed, probe));
        if (probe) {
            kept.add(PutRecordsRequestEntry.builder()
                    .partitionKey(PROBE_KEY)
                    .data(SdkBytes.fromUtf8String("{}"))
                    .build());
        }
        return request.toBuilder().records(kept).build();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        var injection = attributes.getAttribute(INJECTION);
        var error = entryError;
        if (injection == null || !(context.response() instanceof PutRecordsResponse response)) {
            return context.response();
        }
        var real = injection.probe() ? List.<PutRecordsResultEntry>of() : response.records();
        var merged = new ArrayList<PutRecordsResultEntry>(injection.originalSize());
        int next = 0;
        for (int i = 0; i < injection.originalSize(); i++) {
            if (injection.failed().contains(i)) {
                merged.add(PutRecordsResultEntry.builder()
                        .errorCode(error)
                        .errorMessage(
                                error.equals(THROTTLED)
                                        ? "Rate exceeded for shard (injected by the test)"
                                        : "injected by the test")
                        .build());
            } else {
                merged.add(real.get(next++));
            }
        }
        int failedCount =
                (int) merged.stream().filter(r -> r.errorCode() != null).count();
        return response.toBuilder()
                .records(merged)
                .failedRecordCount(failedCount)
                .build();
    }
}
