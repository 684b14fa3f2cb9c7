package io.decoupled.clicks.click;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param awaitTimeout how long {@code POST /clicks?await=true} waits for the clicks to be on the stream before answering 202
 * @param maxBodySize  the largest request body read; a larger one is answered 413 without being buffered. 1 MiB holds
 *                     500 clicks of about 2 KiB each; a client with more splits its batch.
 * @param maxHeaderSize the largest request line plus headers; larger is a 400 from Tomcat before anything is parsed
 *                      (a Cognito access token is about 1 KiB)
 */
@Validated
@ConfigurationProperties("clicks")
record ClickProperties(
        @DefaultValue("10s") @NotNull Duration awaitTimeout,
        @DefaultValue("1MB") @NotNull DataSize maxBodySize,
        @DefaultValue("16KB") @NotNull DataSize maxHeaderSize) {}
