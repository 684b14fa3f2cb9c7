package io.decoupled.shipping.redrive;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The dead-letter queue and how fast it is redriven.
 *
 * @param sourceQueue          where redriven messages go (the queue whose redrive policy names the DLQ)
 * @param deadLetterQueue      the DLQ
 * @param maxMessagesPerSecond redrive rate, so a redrive does not flood the consumers (SQS allows up to 500)
 * @param depthInterval        how often the DLQ depth metric is refreshed
 */
@Validated
@ConfigurationProperties("shipping.redrive")
record RedriveProperties(
        @DefaultValue("shipping-orders") @NotBlank String sourceQueue,
        @DefaultValue("shipping-orders-dlq") @NotBlank String deadLetterQueue,
        @DefaultValue("50") @Min(1) @Max(500) int maxMessagesPerSecond,
        @DefaultValue("30s") @NotNull Duration depthInterval) {}
