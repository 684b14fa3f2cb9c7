package io.decoupled.shipping.consumer;

import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.payloadoffloading.PayloadS3Pointer;
import software.amazon.payloadoffloading.PayloadStore;
import software.amazon.payloadoffloading.S3BackedPayloadStore;
import software.amazon.payloadoffloading.S3Dao;

/**
 * Claim check, the reading side: a message whose payload order-service put in S3 (SNS Extended Client, past 256 KiB)
 * arrives as a pointer, and is resolved here, by the worker, before the handler parses it.
 *
 * <p>Why here and not by wrapping the client in {@code AmazonSQSExtendedAsyncClient}: that client fetches the payloads
 * of a whole batch inside {@code receiveMessage}, on the poller, before any worker holds a message and before the
 * heartbeat tracks it; one missing object fails the whole receive, so its nine neighbours come back again and again
 * with it until maxReceiveCount sends all ten to the DLQ; and it rewrites receipt handles, which the batched deletes
 * and visibility changes use. Resolved per message in the worker, a pointer is that message's concern only: a
 * transient S3 failure is retried in place like any other, an object that is gone (expired by the bucket's lifecycle,
 * or never written) is poison and takes the DLQ path with its reason, and the batch goes on. Nothing is deleted from S3
 * (fan-out: other queues hold pointers to the same object; the lifecycle expires it).
 */
public final class OffloadedPayloads {
    /** How the SNS and SQS Extended Clients' pointer to an offloaded payload begins. */
    static final String POINTER_PREFIX = "[\"software.amazon.payloadoffloading.PayloadS3Pointer\"";

    private final Optional<PayloadStore> store;

    private OffloadedPayloads(Optional<PayloadStore> store) {
        this.store = store;
    }

    /** Resolves pointers through this S3 client; the bucket is the one each pointer names. */
    public static OffloadedPayloads from(S3Client s3) {
        // The store's own bucket is only where it would write; reading takes the bucket from the pointer.
        return new OffloadedPayloads(Optional.of(new S3BackedPayloadStore(new S3Dao(s3), "unused-for-reading")));
    }

    /** No payload store: a pointer is poison (a consumer that never expects large payloads). */
    public static OffloadedPayloads none() {
        return new OffloadedPayloads(Optional.empty());
    }

    static boolean isPointer(String payload) {
        return payload != null && payload.startsWith(POINTER_PREFIX);
    }

    /**
     * The payload itself: the message's own when it is not a pointer, otherwise the S3 object it points to.
     *
     * @throws PoisonMessageException if the pointer is unreadable or its object does not exist
     */
    String resolve(String payload) {
        if (!isPointer(payload)) {
            return payload;
        }
        PayloadS3Pointer pointer;
        try {
            pointer = PayloadS3Pointer.fromJson(payload);
        } catch (SdkException unreadable) {
            throw new PoisonMessageException("unreadable pointer to an offloaded payload", unreadable);
        }
        var where = "s3://" + pointer.getS3BucketName() + "/" + pointer.getS3Key();
        var payloads = store.orElseThrow(() ->
                new PoisonMessageException("an offloaded payload (" + where + ") but no payload store configured"));
        try {
            return payloads.getOriginalPayload(payload);
        } catch (SdkException e) {
            if (isMissing(e)) {
                throw new PoisonMessageException(
                        "offloaded payload " + where
                                + " not found (expired by the bucket's lifecycle, or never written)",
                        e);
            }
            // S3 unreachable, throttled, a 5xx: transient, retried like any other failure.
            throw e;
        }
    }

    /**
     * Whether S3 answered that the object or its bucket does not exist (404). The payload-offloading library wraps
     * S3's exception in its own, hence the walk along the causes.
     */
    static boolean isMissing(Throwable failure) {
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof S3Exception s3 && s3.statusCode() == 404) {
                return true;
            }
        }
        return false;
    }
}
