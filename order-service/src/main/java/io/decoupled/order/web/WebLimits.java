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
 * @param maxRequestHeader the largest request line plus headers; larger is a 400 from Tomcat before anything is parsed.
 *                         A Cognito access token is about 1 KiB, so 16 KiB is room for it and a trace context many times over.
 */
@Validated
@ConfigurationProperties("order.web")
record WebLimits(
        @DefaultValue("64KB") @NotNull DataSize maxRequestBody,
        @DefaultValue("16KB") @NotNull DataSize maxRequestHeader) {}
