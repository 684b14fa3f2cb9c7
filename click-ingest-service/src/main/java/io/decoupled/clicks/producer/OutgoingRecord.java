package io.decoupled.clicks.producer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One record for the clickstream: the partition key decides the shard (Kinesis) or the partition (Kafka), and
 * records of one key keep their order. The data is plain bytes, so that the callers know neither broker.
 */
public record OutgoingRecord(String partitionKey, byte[] data) {
    /**
     * Kinesis limits a record (data plus partition key) to 1 MiB and a partition key to 256 characters; Kafka's
     * default {@code max.request.size} is 1 MiB as well, so one limit serves both backends.
     */
    static final int MAX_RECORD_BYTES = 1024 * 1024;

    static final int MAX_PARTITION_KEY_LENGTH = 256;

    public OutgoingRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
        if (partitionKey.isEmpty() || partitionKey.length() > MAX_PARTITION_KEY_LENGTH) {
            throw new IllegalArgumentException("a partition key has 1 to 256 characters");
        }
        if (size(partitionKey, data) > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a record is at most 1 MiB including its partition key");
        }
    }

    /** The size PutRecords counts against its 5 MiB request limit (and a Kafka batch roughly holds): data plus the UTF-8 key. */
    public int size() {
        return size(partitionKey, data);
    }

    private static int size(String partitionKey, byte[] data) {
        return data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
    }
}
