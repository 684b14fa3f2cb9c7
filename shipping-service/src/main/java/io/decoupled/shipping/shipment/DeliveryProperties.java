package io.decoupled.shipping.shipment;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The simulated delivery, confirmed through a delay queue.
 *
 * @param after how long after dispatch a shipment counts as delivered: the per-message delay of its delivery
 *              confirmation, whole seconds up to SQS's 15 minutes
 * @param queue the delay queue the confirmations wait in
 * @param retryVisibility how long a confirmation that could not be applied (the database away) stays invisible after
 *                        its first failure; it doubles with each further receive, up to {@code maxRetryVisibility}.
 *                        With the defaults the five receives before the DLQ span about 15 minutes, so an outage of
 *                        minutes dead-letters no confirmation (the queue's own 30 s would spend them in 2)
 * @param maxRetryVisibility the longest a failed confirmation waits before its next receive
 */
@Validated
@ConfigurationProperties("shipping.delivery")
record DeliveryProperties(
        @DefaultValue("30s") @NotNull @DurationMin(seconds = 0) @DurationMax(minutes = 15)
        Duration after,

        @DefaultValue("shipment-deliveries") @NotBlank String queue,

        @DefaultValue("60s") @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 12)
        Duration retryVisibility,

        @DefaultValue("10m") @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 12)
        Duration maxRetryVisibility) {}
