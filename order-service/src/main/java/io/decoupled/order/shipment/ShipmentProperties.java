package io.decoupled.order.shipment;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the shipment-updates consumer.
 *
 * @param queue the FIFO queue subscribed to shipment-events.fifo, by name or URL
 */
@Validated
@ConfigurationProperties("order.shipments")
record ShipmentProperties(@DefaultValue("shipment-updates.fifo") @NotBlank String queue) {
}
