package io.decoupled.analytics.orders;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.payloadoffloading.PayloadS3Pointer;
import software.amazon.payloadoffloading.PayloadStore;
import software.amazon.payloadoffloading.S3BackedPayloadStore;
import software.amazon.payloadoffloading.S3Dao;

/**
 * Claim check, the reading side: an order event past 256 KiB was put in S3 by order-service (SNS Extended Client) and
 * arrives as a pointer, which is resolved here before the event is parsed. On {@code analytics-orders} the pointer sits
 * inside the SNS envelope's {@code Message}, where no SQS Extended Client could see it; on {@code order-review} (raw)
 * it is the body. shipping-service resolves pointers the same way in its own consumer; the difference is the failure
 * path: here an object that is gone is an {@link IllegalArgumentException}, which the listeners' error handler
 * classifies as poison and sets aside in {@code rejected_record} with this reason, and an S3 failure of any other kind
 * is transient and backed off. Nothing is deleted from S3 (fan-out; the bucket's lifecycle expires it).
 */
final class OffloadedPayloads {
    /** How the SNS and SQS Extended Clients' pointer to an offloaded payload begins. */
    static final String POINTER_PREFIX = "[\"software.amazon.payloadoffloading.PayloadS3Pointer\"";

    private final PayloadStore store;

    OffloadedPayloads(S3Client s3) {
        // The store's own bucket is only where it would write; reading takes the bucket from the pointer.
        this.store = new S3BackedPayloadStore(new S3Dao(s3), "unused-for-reading");
    }

    static boolean isPointer(String payload) {
        return payload != null && payload.startsWith(POINTER_PREFIX);
    }

    /** The message's own payload, or the S3 object its pointer names. */
    String resolve(String payload) {
        if (!isPointer(payload)) {
            return payload;
        }
        PayloadS3Pointer pointer;
        try {
            pointer = PayloadS3Pointer.fromJson(payload);
        } catch (SdkException unreadable) {
            throw new IllegalArgumentException("unreadable pointer to an offloaded payload", unreadable);
        }
        try {
            return store.getOriginalPayload(payload);
        } catch (SdkException e) {
            if (isMissing(e)) {
                // Without S3's exception as the cause: the reason set aside is the deepest cause's message, and this
                // one says where the pointer pointed.
                throw new IllegalArgumentException("offloaded payload s3://" + pointer.getS3BucketName() + "/"
                        + pointer.getS3Key()
                        + " not found (404 from S3: expired by the bucket's lifecycle, or never written)");
            }
            throw e;
        }
    }

    /** Whether S3 answered 404 (no such key or bucket); the payload-offloading library wraps S3's exception. */
    static boolean isMissing(Throwable failure) {
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof S3Exception s3 && s3.statusCode() == 404) {
                return true;
            }
        }
        return false;
    }
}
