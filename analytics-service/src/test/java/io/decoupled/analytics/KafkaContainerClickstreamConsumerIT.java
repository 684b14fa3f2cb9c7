package io.decoupled.analytics;

import io.decoupled.localaws.KafkaContainerBroker;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The consumer contract on a real Apache Kafka broker (the pinned {@code apache/kafka} image in Testcontainers) instead
 * of the embedded one: every test of {@link KafkaClickstreamConsumerIT}, unchanged. Needs Docker; skipped without it.
 */
@EnabledIf(value = "io.decoupled.localaws.LocalStackEnvironment#dockerAvailable", disabledReason = "no Docker engine")
class KafkaContainerClickstreamConsumerIT extends KafkaClickstreamConsumerIT {

    @Override
    String bootstrapServers() {
        return KafkaContainerBroker.bootstrapServers();
    }
}
