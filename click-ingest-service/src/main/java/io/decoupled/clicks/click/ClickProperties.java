package io.decoupled.clicks.click;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** @param awaitTimeout how long {@code POST /clicks?await=true} waits for the clicks to be on the stream before answering 202 */
@Validated
@ConfigurationProperties("clicks")
record ClickProperties(@DefaultValue("10s") @NotNull Duration awaitTimeout) {
}
