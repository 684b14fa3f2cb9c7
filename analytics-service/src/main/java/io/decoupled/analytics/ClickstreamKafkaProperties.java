package io.decoupled.analytics;

import io.decoupled.topology.Topology;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Reading the clickstream from Kafka ({@code analytics.clickstream.backend=kafka}). Brokers and authentication are
 * Boot's {@code spring.kafka.*}; these settings are the ones the guarantees depend on.
 *
 * @param topic          the topic read
 * @param groupId        the consumer group: what the KCL's application name (its lease table) is on Kinesis; its
 *                       committed offsets are the checkpoints
 * @param consumers      consumer threads of this instance (each one a member of the group); more than the topic's
 *                       partitions would sit idle
 * @param maxPollRecords records per batch at most (one transaction, like a KCL GetRecords batch)
 * @param patience       how long a batch retries a failing store inside the listener before it is given back (nothing
 *                       committed, the partitions sought back and paused): well under the client's
 *                       {@code max.poll.interval.ms} (5 min), so that a database outage never costs a rebalance
 * @param retryPause     how long the partitions of a batch given back stay paused before it is read again
 */
@Validated
@ConfigurationProperties("analytics.clickstream.kafka")
public record ClickstreamKafkaProperties(
        @DefaultValue(Topology.CLICKSTREAM) @NotBlank String topic,
        @DefaultValue("analytics-service") @NotBlank String groupId,
        @DefaultValue("1") @Min(1) @Max(64) int consumers,
        @DefaultValue("500") @Min(1) @Max(10000) int maxPollRecords,
        @DefaultValue("30s") @NotNull Duration patience,
        @DefaultValue("2s") @NotNull Duration retryPause) {}
