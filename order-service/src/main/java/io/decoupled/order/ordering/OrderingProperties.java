package io.decoupled.order.ordering;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the ordering feature.
 *
 * @param defaultCurrency currency of an order that names none
 * @param idempotencyKeyRetention how long a retry with the same Idempotency-Key is recognised
 * @param maxPageSize the largest page GET /orders returns
 */
@Validated
@ConfigurationProperties("order.ordering")
record OrderingProperties(
        @DefaultValue("EUR") @Pattern(regexp = "[A-Z]{3}") String defaultCurrency,
        @DefaultValue("24h") @NotNull Duration idempotencyKeyRetention,
        @DefaultValue("100") @Min(1) @Max(1000) int maxPageSize) {}
