package io.decoupled.order.web;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the HTTP API.
 *
 * @param maxRequestBody the largest request body accepted; larger is a 413. A bulk order of the most lines an order may
 *                       have (5,000) with 64-character SKUs is about 600 KB, so the default leaves room for it without
 *                       letting one request cost many megabytes. Such an order's event is past SNS's 256 KiB and is
 *                       published through S3 (claim check, docs/large-payloads.md).
 * @param maxRequestHeader the largest request line plus headers; larger is a 400 from Tomcat before anything is parsed.
 *                         A Cognito access token is about 1 KiB, so 16 KiB is room for it and a trace context many times over.
 */
@Validated
@ConfigurationProperties("order.web")
record WebLimits(
        @DefaultValue("1MB") @NotNull DataSize maxRequestBody,
        @DefaultValue("16KB") @NotNull DataSize maxRequestHeader) {}
