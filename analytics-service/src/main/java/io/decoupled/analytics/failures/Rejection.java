package io.decoupled.analytics.failures;

/**
 * A record set aside: where it came from ({@code source}: the stream, or the queue), its position there
 * ({@code location}: the shard or queue; {@code recordId}: the sequence number or SQS message id), the raw
 * bytes as received, and why it can never be stored.
 */
public record Rejection(
        String source, String location, String recordId, String partitionKey, byte[] data, String reason) {}
