package io.decoupled.shipping.carrier;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The simulated carrier.
 *
 * @param latency     how long a booking takes
 * @param failureRate share of bookings that fail transiently (0..1)
 */
@Validated
@ConfigurationProperties("shipping.carrier")
record CarrierProperties(
        @DefaultValue("50ms") @NotNull Duration latency,
        @DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double failureRate) {}
