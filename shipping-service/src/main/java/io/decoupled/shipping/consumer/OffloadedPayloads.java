package io.decoupled.shipping.consumer;

import io.decoupled.claimcheck.MissingPayloadException;
import io.decoupled.claimcheck.PayloadPointers;
import software.amazon.awssdk.services.s3.S3Client;

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
 * (fan-out: other queues hold pointers to the same object; the lifecycle expires it). What a pointer is and what a
 * failure means is {@link PayloadPointers}' (platform/claim-check, shared with analytics-service); this class puts the
 * answer on this consumer's failure path.
 */
public final class OffloadedPayloads {
    private final PayloadPointers pointers;

    private OffloadedPayloads(PayloadPointers pointers) {
        this.pointers = pointers;
    }

    /** Resolves pointers through this S3 client; the bucket is the one each pointer names. */
    public static OffloadedPayloads from(S3Client s3) {
        return new OffloadedPayloads(PayloadPointers.through(s3));
    }

    /** No payload store: a pointer is poison (a consumer that never expects large payloads). */
    public static OffloadedPayloads none() {
        return new OffloadedPayloads(PayloadPointers.withoutStore());
    }

    /**
     * The payload itself: the message's own when it is not a pointer, otherwise the S3 object it points to. S3 being
     * unreachable, throttled or failing is rethrown as it is: transient, retried in place like any other failure.
     *
     * @throws PoisonMessageException if the pointer is unreadable or its object does not exist
     */
    String resolve(String payload) {
        try {
            return pointers.resolve(payload);
        } catch (MissingPayloadException e) {
            throw new PoisonMessageException(e.getMessage(), e);
        }
    }
}
