package io.decoupled.clicks.kafka;

import io.decoupled.topology.Topology;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Kafka clickstream producer ({@code clickstream.backend=kafka}). Where the brokers are and how to
 * authenticate (MSK IAM, TLS) are Boot's {@code spring.kafka.*}; these are the ones the guarantees depend on, with
 * the Kinesis producer's defaults where the idea is the same (buffer, linger, retrying for as long as the service runs).
 *
 * @param topic           the topic written to
 * @param partitions      partitions of the topic when this service creates it (the scaling unit, like shards)
 * @param createTopic     whether to create the topic at start-up if it is missing (off where a platform team owns topics)
 * @param bufferCapacity  records held at most (handed to the client and not yet acknowledged); beyond it callers get 429
 * @param bufferSize      bytes held at most; the client's {@code buffer.memory} is twice this, so that {@code send()}
 *                        never blocks a request thread on memory while this bound holds
 * @param linger          {@code linger.ms}: how long a record may wait for its partition's batch to fill
 * @param batchSize       {@code batch.size}: bytes per partition batch
 * @param deliveryTimeout {@code delivery.timeout.ms}: how long the client retries a record before giving up on it.
 *                        24 days, close to the most the client takes (an int of milliseconds): a click answered 202
 *                        is retried for as long as the service runs, as on Kinesis, while the full buffer answers
 *                        429; minutes would drop every click of a longer broker outage and accept new ones to drop
 * @param maxBlock        {@code max.block.ms}: how long {@code send()} may wait for the topic's metadata
 * @param shutdownTimeout how long shutdown waits for the records held to be acknowledged
 * @param retryAfter      the Retry-After given to callers when the buffer is full
 * @param retention       {@code retention.ms} of the topic this service creates: the Kinesis stream's 24 h, which
 *                        analytics' click-id dedupe (48 h) outlasts, so a consumer that starts over from the earliest
 *                        offset (its committed offsets expired or lost) re-reads nothing it cannot recognise. A longer
 *                        retention needs a longer {@code analytics.clicks.dedupe-retention}
 */
@Validated
@ConfigurationProperties("clickstream.kafka")
public record KafkaProducerProperties(
        @DefaultValue(Topology.CLICKSTREAM) @NotBlank String topic,
        @DefaultValue("2") @Min(1) int partitions,
        @DefaultValue("true") boolean createTopic,
        @DefaultValue("10000") @Min(1) int bufferCapacity,
        @DefaultValue("16MB") @NotNull DataSize bufferSize,
        @DefaultValue("20ms") @NotNull Duration linger,
        @DefaultValue("256KB") @NotNull DataSize batchSize,
        @DefaultValue("24d") @NotNull Duration deliveryTimeout,
        @DefaultValue("5s") @NotNull Duration maxBlock,
        @DefaultValue("30s") @NotNull Duration shutdownTimeout,
        @DefaultValue("1s") @NotNull Duration retryAfter,
        @DefaultValue("24h") @NotNull Duration retention) {

    @AssertTrue(message = "bufferSize must hold at least one record of 1 MiB")
    boolean isBufferSizeAtLeastOneRecord() {
        return bufferSize == null
                || bufferSize.toBytes() >= DataSize.ofMegabytes(1).toBytes();
    }

    @AssertTrue(message = "deliveryTimeout must be at most 2147483647 ms, the most the Kafka client takes")
    boolean isDeliveryTimeoutWithinTheClientsRange() {
        return deliveryTimeout == null || deliveryTimeout.toMillis() <= Integer.MAX_VALUE;
    }

    @AssertTrue(message = "deliveryTimeout must be longer than linger plus the client's 30 s request timeout")
    boolean isDeliveryTimeoutLongEnough() {
        return deliveryTimeout == null || linger == null || deliveryTimeout.compareTo(linger.plusSeconds(30)) > 0;
    }

    @AssertTrue(message = "batchSize must be between 1 byte and 16 MiB")
    boolean isBatchSizeSane() {
        return batchSize == null
                || (batchSize.toBytes() >= 1
                        && batchSize.toBytes() <= DataSize.ofMegabytes(16).toBytes());
    }
}
