package io.decoupled.analytics.clicks;

import io.decoupled.analytics.ClickstreamBackend;
import io.decoupled.analytics.ClickstreamKafkaProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Pattern: commit offsets after the effect is durable, with poison isolation: the Kafka adapter of the clickstream
 * port ({@link ClickBatches}), beside the KCL's {@link ClickRecordProcessor}. The difference is named here: the KCL
 * keeps a checkpoint per shard lease in DynamoDB; Kafka keeps the group's committed offset per partition, and a
 * partition moves between members of the group on a rebalance instead of a lease expiring.
 *
 * <p>A batch listener with manual acknowledgement ({@code enable.auto.commit=false}): a poll's records (several
 * partitions, each in order) are applied in one call, and only then are their offsets committed, synchronously
 * ({@code MANUAL_IMMEDIATE}). A crash (or a rebalance) before the commit hands the partitions to another member, which
 * reads from the last committed offset; what was applied is absorbed by the click-id dedupe. Poison is set aside and
 * the partition moves on. A store failing for longer than the patience, the service stopping while it fails, or a
 * bug: the batch is given back with {@link Acknowledgment#nack(int, java.time.Duration) nack(0, pause)}, so nothing
 * is committed and every partition of the batch is sought back to its first record and paused, while the consumer
 * keeps polling and stays in the group. Only with {@code analytics.clickstream.backend=kafka}.
 */
@Component
@ConditionalOnProperty(name = ClickstreamBackend.PROPERTY, havingValue = "kafka")
class ClickKafkaListener {
    private static final Logger log = LoggerFactory.getLogger(ClickKafkaListener.class);
    /** Nothing revokes a partition while the listener runs (a rebalance happens in poll()), so a Kafka batch has no stop of its own. */
    private static final StopSignal NO_OWN_STOP = new StopSignal();

    private final ClickBatches batches;
    private final ClickstreamKafkaProperties properties;

    ClickKafkaListener(ClickBatches batches, ClickstreamKafkaProperties properties) {
        this.batches = batches;
        this.properties = properties;
    }

    @KafkaListener(
            id = "clickstream",
            topics = "${analytics.clickstream.kafka.topic:clickstream}",
            groupId = "${analytics.clickstream.kafka.group-id:analytics-service}",
            concurrency = "${analytics.clickstream.kafka.consumers:1}",
            containerFactory = "clickstreamContainerFactory",
            batch = "true")
    void onBatch(List<ConsumerRecord<byte[], byte[]>> records, Acknowledgment ack) {
        if (records.isEmpty()) {
            return;
        }
        var label = records.stream()
                .map(r -> r.topic() + "-" + r.partition())
                .distinct()
                .collect(Collectors.joining(","));
        ClickBatches.Outcome outcome;
        try {
            outcome = batches.apply(
                    records.stream().map(ClickKafkaListener::toPortRecord).toList(),
                    label,
                    NO_OWN_STOP,
                    properties.patience());
        } catch (RuntimeException unexpected) {
            // Not a store failure (those are classified): a bug. Nothing is committed; the batch is read again after
            // the pause.
            log.error(
                    "Unexpected failure processing {} records of {}; not committing, reading them again in {}",
                    records.size(),
                    label,
                    properties.retryPause(),
                    unexpected);
            ack.nack(0, properties.retryPause());
            return;
        }
        if (outcome != ClickBatches.Outcome.DURABLE) {
            log.info(
                    "{} records of {} not applied ({}); nothing committed, reading them again in {}",
                    records.size(),
                    label,
                    outcome,
                    properties.retryPause());
            ack.nack(0, properties.retryPause());
            return;
        }
        try {
            ack.acknowledge();
        } catch (RuntimeException commitFailed) {
            // Durable and deduplicated already: the next reader of these partitions replays them and counts nothing
            // twice.
            log.warn(
                    "Offsets of {} not committed ({}); the next reader of these partitions replays from the last commit",
                    label,
                    commitFailed.toString());
        }
    }

    private static ClickstreamRecord toPortRecord(ConsumerRecord<byte[], byte[]> record) {
        var key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        var value = record.value() == null ? new byte[0] : record.value();
        return new ClickstreamRecord(
                record.topic() + "-" + record.partition(), Long.toString(record.offset()), key, value);
    }
}
