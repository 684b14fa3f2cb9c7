package io.decoupled.analytics.orders;

import io.decoupled.claimcheck.MissingPayloadException;
import io.decoupled.claimcheck.PayloadPointers;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Claim check, the reading side: an order event past 256 KiB was put in S3 by order-service (SNS Extended Client) and
 * arrives as a pointer, which is resolved here before the event is parsed. On {@code analytics-orders} the pointer sits
 * inside the SNS envelope's {@code Message}, where no SQS Extended Client could see it; on {@code order-review} (raw)
 * it is the body. shipping-service resolves pointers the same way in its own consumer; the difference is the failure
 * path: here an object that is gone is an {@link IllegalArgumentException}, which the listeners' error handler
 * classifies as poison and sets aside in {@code rejected_record} with this reason, and an S3 failure of any other kind
 * is transient and backed off. Nothing is deleted from S3 (fan-out; the bucket's lifecycle expires it). What a pointer
 * is and which failures are final is {@link PayloadPointers}' (platform/claim-check, shared with shipping-service).
 */
final class OffloadedPayloads {
    private final PayloadPointers pointers;

    OffloadedPayloads(S3Client s3) {
        this.pointers = PayloadPointers.through(s3);
    }

    /** The message's own payload, or the S3 object its pointer names. */
    String resolve(String payload) {
        try {
            return pointers.resolve(payload);
        } catch (MissingPayloadException e) {
            // Without the S3 exception as the cause: the reason set aside is the deepest cause's message, and this one
            // says where the pointer pointed.
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
