package io.decoupled.clicks.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Test fixture: one embedded KRaft broker (spring-kafka-test, in this JVM, no Docker) for every test class of the JVM,
 * started on first use and stopped when the JVM exits. Test classes keep apart by topic, as they do by stream on
 * the shared Kinesis emulator.
 */
public final class ClickIngestKafkaBroker {
    private static EmbeddedKafkaKraftBroker broker;

    private ClickIngestKafkaBroker() {}

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            var started = new EmbeddedKafkaKraftBroker(1, 2);
            started.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "embedded-kafka-stop"));
            broker = started;
        }
        return broker.getBrokersAsString();
    }

    /** Everything the topic holds, partition by partition, each in offset order (as {@link StreamRecords} reads shards). */
    public static List<StreamRecords.StreamRecord> readAll(String topic) {
        return readAll(bootstrapServers(), topic);
    }

    /** The same on another broker (the Testcontainers variant). */
    public static List<StreamRecords.StreamRecord> readAll(String bootstrapServers, String topic) {
        var config = Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            var all = new ArrayList<StreamRecords.StreamRecord>();
            for (var partition : partitions) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                while (consumer.position(partition) < end) {
                    for (var r : consumer.poll(Duration.ofMillis(200))) {
                        all.add(new StreamRecords.StreamRecord(
                                topic + "-" + r.partition(),
                                Long.toString(r.offset()),
                                r.key(),
                                new String(r.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
            return all;
        }
    }
}
