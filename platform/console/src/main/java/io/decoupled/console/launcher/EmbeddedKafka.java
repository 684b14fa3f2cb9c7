package io.decoupled.console.launcher;

import io.decoupled.topology.Topology;
import java.util.List;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The demo's Kafka, when it runs the clickstream on Kafka ({@code -Dconsole.clickstream=kafka}): one KRaft broker in
 * this JVM (spring-kafka-test's, the same the services' tests use; no Docker, no ZooKeeper) with the {@code clickstream}
 * topic of two partitions, as the Kinesis stream has two shards. It lives as long as the embedded system and is
 * stopped after the services, so that click-ingest can flush and analytics commit on their way out.
 */
final class EmbeddedKafka implements AutoCloseable {
    static final int PARTITIONS = 2;

    private final EmbeddedKafkaKraftBroker broker;

    private EmbeddedKafka(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    static EmbeddedKafka start() {
        quietBrokerLogs();
        var broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, Topology.CLICKSTREAM);
        broker.afterPropertiesSet();
        return new EmbeddedKafka(broker);
    }

    /** The broker logs its whole configuration and every raft step at INFO: warnings and errors only. */
    private static void quietBrokerLogs() {
        LauncherLogs.warningsOnly(List.of("kafka", "org.apache.kafka", "state.change.logger"));
    }

    /** {@code host:port} for {@code SPRING_KAFKA_BOOTSTRAP_SERVERS}. */
    String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
