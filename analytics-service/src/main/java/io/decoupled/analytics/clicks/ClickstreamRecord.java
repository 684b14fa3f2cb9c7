package io.decoupled.analytics.clicks;

/**
 * One record of the clickstream as the effect sees it, whichever broker carried it: where it was read
 * ({@code location}: a shard id, or {@code topic-partition}), its position there (a sequence number, or an offset),
 * its partition key (the session) and its raw bytes. A set-aside record is kept under location and position.
 */
record ClickstreamRecord(String location, String position, String partitionKey, byte[] data) {}
