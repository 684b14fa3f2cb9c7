package io.decoupled.console.services;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the four services answer. The defaults are the services' own default ports on this machine; the
 * embedded launcher and docker compose pass the real addresses.
 *
 * @param shippingAdminToken the token of shipping-service's admin endpoints: the embedded launcher passes the one it
 *                           gave shipping-service, compose the one its provisioner wrote; empty, the DLQ panel and
 *                           redrive answer 401 (there is no built-in token)
 */
@Validated
@ConfigurationProperties("console.services")
public record ServicesProperties(
        @DefaultValue("http://localhost:8081") @NotNull URI orderUrl,
        @DefaultValue("http://localhost:8082") @NotNull URI shippingUrl,
        @DefaultValue("http://localhost:8083") @NotNull URI clickUrl,
        @DefaultValue("http://localhost:8084") @NotNull URI analyticsUrl,
        @DefaultValue("") String shippingAdminToken,
        @DefaultValue("2s") Duration timeout) {}
