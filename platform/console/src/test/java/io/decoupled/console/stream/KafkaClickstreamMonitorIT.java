package io.decoupled.console.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The stream panel on Kafka against an embedded KRaft broker: per partition the records held, the consumer group's
 * committed offset and the lag (end minus committed), the ingest rate from how far the end offsets moved, and an
 * unavailable panel (not an error) while the topic does not exist.
 */
class KafkaClickstreamMonitorIT {
    static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaKraftBroker(1, 2);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stop() {
        broker.destroy();
    }

    @Test
    void showsEachPartitionsRecordsCommittedOffsetLagAndTheIngestRate() throws Exception {
        var topic = "clicks-" + UUID.randomUUID().toString().substring(0, 8);
        var group = "analytics-" + topic;
        var properties = new KafkaStreamProperties(broker.getBrokersAsString(), topic, group, Duration.ofSeconds(10));
        var clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
        try (var admin = Admin.create(Map.of("bootstrap.servers", broker.getBrokersAsString()))) {
            var monitor = new KafkaClickstreamMonitor(
                    Admin.create(Map.of("bootstrap.servers", broker.getBrokersAsString())), properties, clock);
            monitor.poll();
            assertThat(monitor.read().available()).isFalse();
            assertThat(monitor.read().reason()).contains(topic);

            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            send(topic, 0, 30);
            send(topic, 1, 10);
            // Before analytics has joined: no group yet, so everything held is lag.
            monitor.poll();
            assertThat(monitor.read().available()).as(monitor.read().reason()).isTrue();
            assertThat(monitor.read().data().shards())
                    .extracting(StreamView.Shard::lag)
                    .containsExactly(30L, 10L);
            // analytics committed 20 records of partition 0 and nothing of partition 1 yet.
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(20)))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            monitor.poll();
            var view = monitor.read();
            assertThat(view.available()).isTrue();
            assertThat(view.data().backend()).isEqualTo("kafka");
            assertThat(view.data().recordsSeen()).isEqualTo(40);
            assertThat(view.data().shards())
                    .extracting(StreamView.Shard::shardId)
                    .containsExactly(topic + "-0", topic + "-1");
            var p0 = view.data().shards().get(0);
            assertThat(p0.recordsSeen()).isEqualTo(30);
            assertThat(p0.checkpoint()).isEqualTo("20");
            assertThat(p0.lag()).isEqualTo(10);
            var p1 = view.data().shards().get(1);
            assertThat(p1.checkpoint()).isNull();
            assertThat(p1.lag())
                    .as("nothing committed: everything held is still to be read")
                    .isEqualTo(10);

            // 50 more records on partition 0 in 5 seconds: 10 records/s.
            clock.advance(Duration.ofSeconds(5));
            send(topic, 0, 50);
            monitor.poll();
            assertThat(monitor.read().data().shards().get(0).recordsPerSecond()).isEqualTo(10.0);
            assertThat(monitor.read().data().recordsPerSecond()).isEqualTo(10.0);
            monitor.destroy();
        }
    }

    private static void send(String topic, int partition, int records) throws Exception {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", broker.getBrokersAsString()),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, partition, "s-" + i, "{}"));
            }
            producer.flush();
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
