package io.decoupled.shipping.shipment;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The simulated delivery.
 *
 * @param after how long after dispatch a shipment counts as delivered
 */
@Validated
@ConfigurationProperties("shipping.delivery")
record DeliveryProperties(@DefaultValue("30s") @NotNull Duration after) {
}
