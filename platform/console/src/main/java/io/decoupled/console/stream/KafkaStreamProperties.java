package io.decoupled.console.stream;

import io.decoupled.topology.Topology;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the console watches the clickstream when it runs on Kafka ({@code console.stream.backend=kafka}).
 *
 * @param bootstrapServers the brokers
 * @param topic            the clickstream topic
 * @param consumerGroup    analytics-service's consumer group, whose committed offsets give the lag
 * @param rateWindow       the window the ingest rate is averaged over
 */
@Validated
@ConfigurationProperties("console.stream.kafka")
public record KafkaStreamProperties(
        @DefaultValue("localhost:9092") @NotBlank String bootstrapServers,
        @DefaultValue(Topology.CLICKSTREAM) @NotBlank String topic,
        @DefaultValue("analytics-service") @NotBlank String consumerGroup,
        @DefaultValue("10s") Duration rateWindow) {}
