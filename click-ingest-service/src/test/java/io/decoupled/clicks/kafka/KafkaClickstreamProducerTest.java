package io.decoupled.clicks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.clicks.producer.OutgoingRecord;
import io.decoupled.clicks.producer.ProducerMetrics;
import io.decoupled.clicks.producer.RecordDeliveryException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.unit.DataSize;

/**
 * The producer's bound when the Kafka client cannot even be created (its bootstrap servers do not resolve): the
 * request is refused, and the room it reserved comes back, so that the service takes clicks again once the client can
 * be created.
 */
class KafkaClickstreamProducerTest {
    private static final int BUFFER = 3;

    private final DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            "no-such-broker.invalid:9092",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class));
    private final KafkaClickstreamProducer producer = new KafkaClickstreamProducer(
            new KafkaTemplate<>(factory),
            new KafkaProducerProperties(
                    "clickstream",
                    1,
                    false,
                    BUFFER,
                    DataSize.ofMegabytes(16),
                    Duration.ofMillis(20),
                    DataSize.ofKilobytes(256),
                    Duration.ofMinutes(5),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofHours(24)),
            new ProducerMetrics(new SimpleMeterRegistry()));

    @AfterEach
    void stop() {
        producer.stop();
        factory.destroy();
    }

    @Test
    void aRequestTheClientCouldNotTakeFailsAndGivesItsRoomInTheBufferBack() {
        producer.start();

        for (int request = 0; request < 3; request++) {
            var written = producer.submit(records(2));

            assertThat(written)
                    .isCompletedExceptionally()
                    .failsWithin(Duration.ZERO)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(RecordDeliveryException.class);
            assertThat(producer.held()).isZero();
        }
    }

    private static List<OutgoingRecord> records(int n) {
        return IntStream.range(0, n)
                .mapToObj(
                        i -> new OutgoingRecord("session-" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)))
                .toList();
    }
}
