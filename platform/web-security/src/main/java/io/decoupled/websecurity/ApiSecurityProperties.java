package io.decoupled.websecurity;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bearer-token authentication of a service's {@link ProtectedPaths} (API_SECURITY_* in the environment; the same
 * names in every service that uses it). Off by default, so that the demo and
 * the tests run without an identity provider; the CDK deployment turns it on with its Cognito user pool.
 *
 * @param enabled    the protected paths need a valid access token
 * @param issuerUri  the token issuer, compared with the {@code iss} claim (Cognito: https://cognito-idp.REGION.amazonaws.com/POOL)
 * @param jwkSetUri  where the signing keys are; by default the issuer's {@code /.well-known/jwks.json} (Cognito's)
 * @param audiences  accepted audiences: a token's {@code aud}, or, for Cognito access tokens that carry none, its
 *                   {@code client_id}, must be one of them
 * @param scope      a scope the token must carry (403 without it); empty means any valid token
 * @param clockSkew  tolerance for {@code exp} and {@code nbf} between the issuer's clock and ours
 */
@Validated
@ConfigurationProperties("api.security")
record ApiSecurityProperties(
        @DefaultValue("false") boolean enabled,
        URI issuerUri,
        URI jwkSetUri,
        @DefaultValue List<String> audiences,
        String scope,
        @DefaultValue("30s") @NotNull Duration clockSkew) {

    @AssertTrue(message = "api.security.enabled needs api.security.issuer-uri and at least one api.security.audiences")
    boolean isComplete() {
        return !enabled || (issuerUri != null && !audiences.isEmpty());
    }

    URI signingKeys() {
        return jwkSetUri != null
                ? jwkSetUri
                : URI.create(issuerUri.toString().replaceAll("/+$", "") + "/.well-known/jwks.json");
    }

    boolean requiresScope() {
        return scope != null && !scope.isBlank();
    }
}
