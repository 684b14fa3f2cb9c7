package io.decoupled.shipping.redrive;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The admin endpoints' switch, bearer token and request limits. There is no built-in token: a constant in the code
 * or in a compose file is a token everyone who read the repository knows.
 *
 * @param enabled           serve the admin API at all; the AWS deployment switches it off when the load balancer has no
 *                          certificate, so the token never crosses a network in clear text
 * @param token             the bearer token (SHIPPING_ADMIN_TOKEN); absent, one is generated at start and logged once
 * @param maxRequestBody    the largest admin request body; larger is a 413 (a selection of 1000 ids is about 40 KiB)
 * @param maxRequestHeader  the largest request line plus headers the service accepts at all; larger is a 400
 * @param requestsPerSecond admin requests served per second; beyond it a 429 (the dashboard makes about 2 a second).
 *                          It also slows anyone guessing the token.
 */
@Validated
@ConfigurationProperties("shipping.admin")
record AdminProperties(
        @DefaultValue("true") boolean enabled,

        @Size(min = 16, max = 256) @Pattern(regexp = "[\\x21-\\x7E]+")
        String token,

        @DefaultValue("128KB") @NotNull DataSize maxRequestBody,
        @DefaultValue("16KB") @NotNull DataSize maxRequestHeader,
        @DefaultValue("20") @Min(1) @Max(10_000) int requestsPerSecond) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The configured token, if any. */
    Optional<String> configuredToken() {
        return Optional.ofNullable(token).filter(t -> !t.isBlank());
    }

    /** 160 random bits, hex: for a run that was given no token. */
    static String generateToken() {
        var bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
