package io.decoupled.order.web;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the HTTP API.
 *
 * @param maxRequestBody the largest request body accepted; larger is a 413. An order of 100 lines with 64-character
 *                       SKUs is about 12 KiB, so the default leaves room without letting one request cost megabytes.
 */
@Validated
@ConfigurationProperties("order.web")
record WebLimits(@DefaultValue("64KB") @NotNull DataSize maxRequestBody) {
}
