package io.decoupled.analytics.failures;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the {@code @SqsListener}s back off a transient failure: the message's visibility becomes
 * {@code initialVisibility * multiplier^(receives - 1)}, at most {@code maxVisibility}, with half jitter. With the
 * defaults and the queues' 5 receives before the DLQ, a message is tried at 0 s and again after at least 5 s,
 * 25 s, 105 s and 425 s (half jitter: the shortest case), so a database outage of up to 7 minutes delays
 * messages but sends none of them to the DLQ; the last receive comes up to 14 minutes after the first.
 *
 * @param initialVisibility visibility after the first failed receive
 * @param multiplier        growth per further receive
 * @param maxVisibility     cap (SQS allows 12 hours)
 */
@Validated
@ConfigurationProperties("analytics.listeners.retry")
public record ListenerRetryProperties(
        @DefaultValue("10s") @NotNull Duration initialVisibility,
        @DefaultValue("4") @DecimalMin("1.0") double multiplier,
        @DefaultValue("15m") @NotNull Duration maxVisibility) {}
