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
 */
@Validated
@ConfigurationProperties("shipping.delivery")
record DeliveryProperties(
        @DefaultValue("30s") @NotNull @DurationMin(seconds = 0) @DurationMax(minutes = 15)
        Duration after,

        @DefaultValue("shipment-deliveries") @NotBlank String queue) {}
