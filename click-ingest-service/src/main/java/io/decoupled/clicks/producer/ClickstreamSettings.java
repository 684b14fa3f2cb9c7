package io.decoupled.clicks.producer;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which broker carries the clickstream: {@code clickstream.backend=kinesis} (the default: {@code clickstream.producer.*}
 * and the AWS settings apply) or {@code kafka} ({@code clickstream.kafka.*} and Boot's {@code spring.kafka.*} apply).
 * Only the chosen adapter's beans exist, so a Kinesis deployment needs no Kafka settings and the other way round; a
 * misspelt value fails at start-up instead of silently choosing one.
 */
@Validated
@ConfigurationProperties("clickstream")
public record ClickstreamSettings(
        @DefaultValue("kinesis") @NotNull Backend backend) {
    public enum Backend {
        KINESIS,
        KAFKA
    }

    public static final String BACKEND_PROPERTY = "clickstream.backend";
}
