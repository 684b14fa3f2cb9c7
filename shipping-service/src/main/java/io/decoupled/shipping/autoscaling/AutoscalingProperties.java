package io.decoupled.shipping.autoscaling;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The worker-pool autoscaler.
 *
 * @param sampleInterval         how often the queue's attributes are read (one GetQueueAttributes each)
 * @param acceptableLatency      how long a message may wait in the queue
 * @param fallbackProcessingTime used until processing times have been measured
 * @param scaleInStabilization   how long the backlog must stay low before the pool shrinks
 */
@Validated
@ConfigurationProperties("shipping.autoscaling")
record AutoscalingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1") @Min(0) int minWorkers,
        @DefaultValue("32") @Min(1) @Max(1000) int maxWorkers,
        @DefaultValue("10s") @NotNull Duration acceptableLatency,
        @DefaultValue("200ms") @NotNull Duration fallbackProcessingTime,
        @DefaultValue("60s") @NotNull Duration scaleInStabilization,
        @DefaultValue("10s") @NotNull Duration sampleInterval) {

    @AssertTrue(message = "minWorkers must not exceed maxWorkers, and durations must be positive")
    boolean isValid() {
        return minWorkers <= maxWorkers
                && acceptableLatency.isPositive()
                && fallbackProcessingTime.isPositive()
                && !scaleInStabilization.isNegative()
                && sampleInterval.isPositive();
    }
}
