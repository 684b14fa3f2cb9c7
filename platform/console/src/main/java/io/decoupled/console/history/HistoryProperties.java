package io.decoupled.console.history;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much of the past the console keeps (console.history.*).
 *
 * @param window  how far back the charts reach
 * @param samples at most this many samples in the window (older ones are dropped first); 900 is one a second
 */
@Validated
@ConfigurationProperties("console.history")
public record HistoryProperties(
        @DefaultValue("15m") @NotNull Duration window,
        @DefaultValue("900") int samples) {
    public HistoryProperties {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("console.history.window must be positive, was " + window);
        }
        if (samples < 2 || samples > 100_000) {
            throw new IllegalArgumentException("console.history.samples must be between 2 and 100000, was " + samples);
        }
    }
}
