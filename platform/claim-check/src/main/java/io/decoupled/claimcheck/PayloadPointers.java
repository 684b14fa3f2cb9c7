package io.decoupled.claimcheck;

import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.payloadoffloading.PayloadS3Pointer;
import software.amazon.payloadoffloading.PayloadStore;
import software.amazon.payloadoffloading.S3BackedPayloadStore;
import software.amazon.payloadoffloading.S3Dao;

/**
 * Claim check, the reading side: an event past 256 KiB was put in S3 by order-service's relay (SNS Extended Client) and
 * arrives as a pointer, which this resolves to the payload before the consumer parses it. Where the pointer sits is the
 * consumer's business (the body of a raw-delivered message, or the {@code Message} of an SNS envelope, where no SQS
 * Extended Client could see it); what a failure means is decided here, once:
 *
 * <ul>
 *   <li>an unreadable pointer, or an object that is gone (404), is a {@link MissingPayloadException}: never retried;
 *   <li>any other S3 failure (unreachable, throttled, a 5xx) is rethrown as it is: transient, retried by the consumer.
 * </ul>
 *
 * Nothing is deleted from S3: with fan-out several queues hold pointers to one object, so the bucket's lifecycle
 * expires it, one day after the longest a pointer can live.
 */
public final class PayloadPointers {
    /** How the SNS and SQS Extended Clients' pointer to an offloaded payload begins. */
    static final String POINTER_PREFIX = "[\"software.amazon.payloadoffloading.PayloadS3Pointer\"";

    private final Optional<PayloadStore> store;

    private PayloadPointers(Optional<PayloadStore> store) {
        this.store = store;
    }

    /** Reads through this client; the bucket is the one each pointer names. */
    public static PayloadPointers through(S3Client s3) {
        // The store's own bucket is only where it would write; reading takes the bucket from the pointer.
        return new PayloadPointers(Optional.of(new S3BackedPayloadStore(new S3Dao(s3), "unused-for-reading")));
    }

    /** For a consumer that never expects large payloads: a pointer is a {@link MissingPayloadException}. */
    public static PayloadPointers withoutStore() {
        return new PayloadPointers(Optional.empty());
    }

    /** Whether a message's payload is a pointer to S3 rather than the payload itself. */
    public static boolean isPointer(String payload) {
        return payload != null && payload.startsWith(POINTER_PREFIX);
    }

    /**
     * The payload itself: the message's own when it is not a pointer, otherwise the S3 object it points to.
     *
     * @throws MissingPayloadException if the pointer is unreadable or its object does not exist
     * @throws SdkException            if S3 could not answer (transient)
     */
    public String resolve(String payload) {
        if (!isPointer(payload)) {
            return payload;
        }
        PayloadS3Pointer pointer;
        try {
            pointer = PayloadS3Pointer.fromJson(payload);
        } catch (SdkException unreadable) {
            throw new MissingPayloadException("unreadable pointer to an offloaded payload", unreadable);
        }
        var where = "s3://" + pointer.getS3BucketName() + "/" + pointer.getS3Key();
        var payloads = store.orElseThrow(() -> new MissingPayloadException(
                "an offloaded payload (" + where + ") but no payload store configured", null));
        try {
            return payloads.getOriginalPayload(payload);
        } catch (SdkException e) {
            if (isMissing(e)) {
                throw new MissingPayloadException(
                        "offloaded payload " + where
                                + " not found (404 from S3: expired by the bucket's lifecycle, or never written)",
                        e);
            }
            throw e;
        }
    }

    /**
     * Whether S3 answered that the object or its bucket does not exist (404). The payload-offloading library wraps
     * S3's exception in its own, hence the walk along the causes.
     */
    public static boolean isMissing(Throwable failure) {
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof S3Exception s3 && s3.statusCode() == 404) {
                return true;
            }
        }
        return false;
    }
}
