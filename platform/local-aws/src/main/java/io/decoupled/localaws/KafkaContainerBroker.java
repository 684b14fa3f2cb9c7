package io.decoupled.localaws;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Apache Kafka broker (KRaft, the pinned {@code apache/kafka} image) in Testcontainers, one per JVM, for the
 * Docker variant of the Kafka contract tests: the same contracts as on spring-kafka-test's embedded broker, against
 * the broker distribution itself. Tests using it are enabled only when {@link LocalStackEnvironment#dockerAvailable()}.
 * The image comes from the build ({@code localaws.kafka.image}), pinned once in the root pom.
 */
public final class KafkaContainerBroker {
    /** Used when the build did not pass the image (an IDE run); keep equal to the root pom. */
    static final String DEFAULT_IMAGE = "apache/kafka:4.1.1";

    private static KafkaContainer container;

    private KafkaContainerBroker() {}

    /** Starts the broker on first use (stopped by Testcontainers when the JVM exits) and returns its bootstrap servers. */
    public static synchronized String bootstrapServers() {
        if (container == null) {
            var started = new KafkaContainer(
                    DockerImageName.parse(System.getProperty("localaws.kafka.image", DEFAULT_IMAGE)));
            started.start();
            container = started;
        }
        return container.getBootstrapServers();
    }
}
