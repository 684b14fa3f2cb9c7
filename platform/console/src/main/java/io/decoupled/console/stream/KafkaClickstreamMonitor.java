package io.decoupled.console.stream;

import io.decoupled.console.panel.Panel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The clickstream panel on Kafka: per partition, the records it holds (end minus start offset), the ingest rate (how
 * fast the end offset moves), analytics' committed offset and the consumer lag (end minus committed: the records
 * written and not yet durable in analytics), and the group member that reads it. The Kafka counterpart of
 * {@link ClickstreamMonitor}'s shards and KCL checkpoints; it only reads metadata through the admin client and
 * consumes nothing.
 */
@Component
@ConditionalOnProperty(name = "console.stream.backend", havingValue = "kafka")
@EnableConfigurationProperties(KafkaStreamProperties.class)
public class KafkaClickstreamMonitor implements ClickstreamPanel, DisposableBean {
    static final String SOURCE = "Kafka admin client: end offsets + consumer group committed offsets";
    private static final Logger log = LoggerFactory.getLogger(KafkaClickstreamMonitor.class);
    private static final long TIMEOUT_SECONDS = 5;

    private final Admin admin;
    private final KafkaStreamProperties properties;
    private final Clock clock;
    private final Map<Integer, ArrayDeque<Sample>> endOffsets = new HashMap<>();
    private volatile Panel<StreamView> view = Panel.unavailable(SOURCE, "not read yet");

    private record Sample(Instant at, long endOffset) {}

    @Autowired
    KafkaClickstreamMonitor(KafkaStreamProperties properties) {
        this(
                Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        properties.bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        10_000,
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        5_000)),
                properties,
                Clock.systemUTC());
    }

    KafkaClickstreamMonitor(Admin admin, KafkaStreamProperties properties, Clock clock) {
        this.admin = admin;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Panel<StreamView> read() {
        return view;
    }

    @Scheduled(fixedDelayString = "${console.stream.poll-interval:1s}")
    public synchronized void poll() {
        try {
            view = Panel.of(SOURCE, snapshot());
        } catch (ExecutionException e) {
            var cause = e.getCause() == null ? e : e.getCause();
            view = cause instanceof UnknownTopicOrPartitionException
                    ? Panel.unavailable(SOURCE, "topic " + properties.topic() + " does not exist (yet)")
                    : Panel.unavailable(SOURCE, "Kafka did not answer: " + cause.getMessage());
        } catch (TimeoutException e) {
            view = Panel.unavailable(SOURCE, "Kafka did not answer within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("Kafka clickstream poll failed", e);
            view = Panel.unavailable(SOURCE, "Kafka did not answer: " + e.getMessage());
        }
    }

    private StreamView snapshot() throws ExecutionException, TimeoutException, InterruptedException {
        var topic = properties.topic();
        var description = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .get(topic);
        var partitions = description.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        var latest = offsets(partitions, OffsetSpec.latest());
        var earliest = offsets(partitions, OffsetSpec.earliest());
        var committed = new HashMap<TopicPartition, OffsetAndMetadata>();
        var owners = new HashMap<TopicPartition, String>();
        try {
            admin.listConsumerGroupOffsets(properties.consumerGroup())
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .forEach((partition, offset) -> {
                        if (offset != null) {
                            committed.put(partition, offset);
                        }
                    });
            var group = admin.describeConsumerGroups(List.of(properties.consumerGroup()))
                    .describedGroups()
                    .get(properties.consumerGroup())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            group.members().forEach(m -> m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m.clientId())));
        } catch (ExecutionException e) {
            // analytics has not joined yet: no member and no commit, so everything held is still to be read.
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
        }

        Instant now = clock.instant();
        var shards = new ArrayList<StreamView.Shard>();
        long seen = 0;
        double total = 0;
        for (var partition : partitions) {
            long end = latest.get(partition);
            long start = earliest.get(partition);
            double rate = rate(partition.partition(), now, end);
            var offset = committed.get(partition);
            // No commit yet: the group starts at the earliest offset, so everything held is still to be read.
            long lag = end - (offset == null ? start : Math.max(start, offset.offset()));
            shards.add(new StreamView.Shard(
                    topic + "-" + partition.partition(),
                    null,
                    true,
                    end - start,
                    rate,
                    Math.max(0, lag),
                    false,
                    owners.get(partition),
                    offset == null ? null : Long.toString(offset.offset())));
            seen += end - start;
            total += rate;
        }
        return new StreamView(topic, total, seen, "consumer group " + properties.consumerGroup(), shards, "kafka");
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, TimeoutException, InterruptedException {
        var request = partitions.stream().collect(Collectors.toMap(p -> p, p -> spec));
        return admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Records per second over the window: how far the end offset moved since the oldest sample inside it. */
    private double rate(int partition, Instant now, long endOffset) {
        var samples = endOffsets.computeIfAbsent(partition, p -> new ArrayDeque<>());
        samples.addLast(new Sample(now, endOffset));
        Instant from = now.minus(properties.rateWindow());
        while (samples.size() > 1 && samples.peekFirst().at().isBefore(from)) {
            samples.removeFirst();
        }
        var oldest = samples.peekFirst();
        double seconds = Duration.between(oldest.at(), now).toMillis() / 1000.0;
        return seconds <= 0 ? 0 : (endOffset - oldest.endOffset()) / seconds;
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(5));
    }
}
