package io.decoupled.analytics.clicks;

/** A stream record that could not be parsed; stored for inspection so that it never blocks its shard. */
record RejectedRecord(String shardId, String sequenceNumber, String reason) {
}
