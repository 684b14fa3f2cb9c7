package io.decoupled.shipping.outbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The outbox relay.
 *
 * @param topic        SNS FIFO topic name (resolved by listing topics, never created) or ARN
 * @param batchSize    events per PublishBatch (SNS allows up to 10)
 * @param pollInterval how often the relay looks for events when no commit woke it
 */
@Validated
@ConfigurationProperties("shipping.outbox")
record OutboxProperties(
        @DefaultValue("shipment-events.fifo") @NotBlank String topic,
        @DefaultValue("10") @Min(1) @Max(10) int batchSize,
        @DefaultValue("500ms") @NotNull Duration pollInterval,
        @DefaultValue("true") boolean enabled) {
}
