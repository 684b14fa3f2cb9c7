package io.decoupled.analytics.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Test fixture: one embedded KRaft broker (spring-kafka-test, in this JVM, no Docker) for every test class of the JVM,
 * started on first use and stopped when the JVM exits; and a topic per test class, written as click-ingest writes it
 * (key = session, idempotent producer, acks=all).
 */
public final class AnalyticsKafkaBroker {
    private static EmbeddedKafkaKraftBroker broker;

    private AnalyticsKafkaBroker() {}

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            var started = new EmbeddedKafkaKraftBroker(1, 2);
            started.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "embedded-kafka-stop"));
            broker = started;
        }
        return broker.getBrokersAsString();
    }

    public static void createTopic(String topic, int partitions) {
        createTopic(bootstrapServers(), topic, partitions);
    }

    /** The same on any broker (the Testcontainers variant passes its own); returns once the broker has created it. */
    public static void createTopic(String bootstrapServers, String topic, int partitions) {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("topic " + topic + " not created", e);
        }
    }

    /** Writes the records in order, keyed by session, and returns where each landed ({@code topic-partition}, offset). */
    public static List<AnalyticsEnvironment.Put> put(String topic, List<AnalyticsEnvironment.Click> clicks) {
        return put(bootstrapServers(), topic, clicks);
    }

    /** The same on any broker. */
    public static List<AnalyticsEnvironment.Put> put(
            String bootstrapServers, String topic, List<AnalyticsEnvironment.Click> clicks) {
        var config = Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            var sent = clicks.stream()
                    .map(c -> producer.send(new ProducerRecord<>(topic, c.sessionId(), c.data())))
                    .toList();
            producer.flush();
            var puts = new ArrayList<AnalyticsEnvironment.Put>();
            for (var future : sent) {
                var metadata = future.get();
                puts.add(new AnalyticsEnvironment.Put(
                        topic + "-" + metadata.partition(), Long.toString(metadata.offset())));
            }
            return puts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a record was not written", e.getCause());
        }
    }

    /** The group's committed offsets, by {@code topic-partition} (the next offset it will read). */
    public static Map<String, Long> committed(String groupId) {
        return committed(bootstrapServers(), groupId);
    }

    /** The same on any broker. */
    public static Map<String, Long> committed(String bootstrapServers, String groupId) {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            var byPartition = new HashMap<String, Long>();
            offsets.forEach((TopicPartition tp, OffsetAndMetadata om) -> {
                if (om != null) {
                    byPartition.put(tp.topic() + "-" + tp.partition(), om.offset());
                }
            });
            return byPartition;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The group's members by client id, each with the number of partitions assigned to it. */
    public static Map<String, Integer> members(String groupId) {
        bootstrapServers();
        return broker.doWithAdminFunction(admin -> {
            try {
                var description = admin.describeConsumerGroups(List.of(groupId))
                        .describedGroups()
                        .get(groupId)
                        .get(30, TimeUnit.SECONDS);
                var members = new HashMap<String, Integer>();
                description
                        .members()
                        .forEach(m -> members.merge(
                                m.clientId(), m.assignment().topicPartitions().size(), Integer::sum));
                return members;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
