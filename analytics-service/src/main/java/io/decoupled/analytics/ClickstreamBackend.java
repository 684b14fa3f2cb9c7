package io.decoupled.analytics;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which broker the clickstream is read from: {@code analytics.clickstream.backend=kinesis} (the default: the KCL worker,
 * {@code analytics.kcl.*}) or {@code kafka} (a batch {@code @KafkaListener}, {@code analytics.clickstream.kafka.*} and
 * Boot's {@code spring.kafka.*}). Only the chosen reader's beans exist: on Kafka the KCL is not started and needs no
 * DynamoDB, and on Kinesis no Kafka setting is needed. A misspelt value fails at start-up.
 */
@Validated
@ConfigurationProperties("analytics.clickstream")
public record ClickstreamBackend(
        @DefaultValue("kinesis") @NotNull Backend backend) {
    public enum Backend {
        KINESIS,
        KAFKA
    }

    public static final String PROPERTY = "analytics.clickstream.backend";
}
