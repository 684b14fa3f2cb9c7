package io.decoupled.clicks.producer;

import io.decoupled.topology.Topology;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the batching producer. The defaults favour full batches under load (PutRecords accepts 500
 * records and 5 MiB) while a lone click waits at most {@code linger} before it is sent.
 *
 * @param stream          the Kinesis stream written to, by name (checked here against Kinesis's pattern for a name, so
 *                        that a typo stops the start instead of every PutRecords call being refused as invalid)
 * @param bufferCapacity  records held at most (waiting, in flight or waiting for a retry); beyond it callers get 429
 * @param maxBatchRecords records per PutRecords call, at most 500
 * @param maxBatchSize    bytes per PutRecords call (data plus partition keys), at most 5 MiB
 * @param linger          how long a record may wait for its batch to fill
 * @param backoffBase     first retry delay; it doubles per attempt, with full jitter
 * @param backoffMax      cap of the retry delay. There is no retry budget: a retryable failure is retried for as long
 *                        as the service runs (the full buffer answers 429 meanwhile), {@code clicks.await-timeout}
 *                        bounds how long a caller waits, and {@code shutdownTimeout} how long shutdown does
 * @param senders         concurrent PutRecords calls
 * @param shutdownTimeout how long shutdown waits for the buffer to drain
 * @param retryAfter      the Retry-After given to callers when the buffer is full
 */
@Validated
@ConfigurationProperties("clickstream.producer")
public record ProducerProperties(
        @DefaultValue(Topology.CLICKSTREAM) @Pattern(regexp = STREAM_NAME)
        String stream,

        @DefaultValue("10000") @Min(1) int bufferCapacity,
        @DefaultValue("500") @Min(1) @Max(500) int maxBatchRecords,
        @DefaultValue("5MB") @NotNull DataSize maxBatchSize,
        @DefaultValue("20ms") @NotNull Duration linger,
        @DefaultValue("50ms") @NotNull Duration backoffBase,
        @DefaultValue("2s") @NotNull Duration backoffMax,
        @DefaultValue("2") @Min(1) @Max(16) int senders,
        @DefaultValue("30s") @NotNull Duration shutdownTimeout,
        @DefaultValue("1s") @NotNull Duration retryAfter) {

    /** What Kinesis accepts as a stream name. */
    static final String STREAM_NAME = "[a-zA-Z0-9_.-]{1,128}";

    private static final DataSize PUT_RECORDS_LIMIT = DataSize.ofMegabytes(5);

    @AssertTrue(
            message =
                    "maxBatchSize must be between 1 MiB and 5 MiB (a batch must fit the largest record, PutRecords allows 5 MiB)")
    boolean isMaxBatchSizeWithinPutRecordsLimit() {
        return maxBatchSize == null
                || (maxBatchSize.toBytes() >= OutgoingRecord.MAX_RECORD_BYTES
                        && maxBatchSize.compareTo(PUT_RECORDS_LIMIT) <= 0);
    }

    @AssertTrue(message = "backoffBase must be positive and not above backoffMax")
    boolean isBackoffConsistent() {
        return backoffBase == null
                || backoffMax == null
                || (backoffBase.isPositive() && backoffBase.compareTo(backoffMax) <= 0);
    }
}
