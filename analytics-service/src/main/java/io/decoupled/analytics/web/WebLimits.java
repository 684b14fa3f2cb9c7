package io.decoupled.analytics.web;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the HTTP API. There is no body limit: every endpoint is a GET, and a write is a 405 before a body is read.
 *
 * @param maxRequestHeader the largest request line plus headers; larger is a 400 from Tomcat before anything is parsed
 */
@Validated
@ConfigurationProperties("analytics.web")
record WebLimits(@DefaultValue("16KB") @NotNull DataSize maxRequestHeader) {}
