package io.decoupled.order.shipment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the shipment-updates consumer.
 *
 * @param queue the FIFO queue subscribed to shipment-events.fifo, by name or URL
 * @param retry how a transient failure is retried while the message is held
 */
@Validated
@ConfigurationProperties("order.shipments")
record ShipmentProperties(
        @DefaultValue("shipment-updates.fifo") @NotBlank String queue,
        @DefaultValue @Valid Retry retry) {

    /**
     * A retry budget by time, not by receives: the message is held (its visibility extended) and retried with
     * exponential backoff until the budget is spent, so an outage of minutes costs one receive, not five.
     *
     * @param initialBackoff wait after the first failure
     * @param maxBackoff     cap on the wait
     * @param budget         how long one message is retried in place before it is handed back to the queue (whose
     *                       redrive policy then counts a receive)
     */
    record Retry(
            @DefaultValue("1s") @NotNull Duration initialBackoff,
            @DefaultValue("30s") @NotNull Duration maxBackoff,
            @DefaultValue("15m") @NotNull Duration budget) {

        @AssertTrue(message = "retry: initialBackoff must be positive and at most maxBackoff, the budget at most 11 h")
        boolean isValid() {
            return initialBackoff.isPositive()
                    && initialBackoff.compareTo(maxBackoff) <= 0
                    && budget.compareTo(Duration.ofHours(11)) <= 0;
        }

        /** Exponential backoff with equal jitter after the given (1-based) failed attempt. */
        Duration backoff(int attempt) {
            long ceiling = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
            long half = ceiling / 2;
            return Duration.ofMillis(
                    ceiling - half + ThreadLocalRandom.current().nextLong(half + 1));
        }
    }
}
