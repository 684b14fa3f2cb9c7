package io.decoupled.websecurity;

import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Accepts only tokens meant for this API: {@code aud} names an accepted audience, or, for Cognito access tokens (which
 * carry no {@code aud}), {@code client_id} does. Without it, any token the same issuer signed for another application
 * would be good here. A Cognito ID token is refused too ({@code token_use} must be {@code access}).
 */
final class AudienceValidator implements OAuth2TokenValidator<Jwt> {
    private static final OAuth2Error WRONG_AUDIENCE =
            new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "The token is not meant for this API", null);
    private static final OAuth2Error NOT_AN_ACCESS_TOKEN =
            new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "Only access tokens are accepted", null);

    private final List<String> audiences;

    AudienceValidator(List<String> audiences) {
        this.audiences = List.copyOf(audiences);
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        var use = token.getClaimAsString("token_use");
        if (use != null && !"access".equals(use)) {
            return OAuth2TokenValidatorResult.failure(NOT_AN_ACCESS_TOKEN);
        }
        var audience = token.getAudience();
        boolean byAudience = audience != null && audience.stream().anyMatch(audiences::contains);
        var clientId = token.getClaimAsString("client_id");
        boolean byClient = clientId != null && audiences.contains(clientId);
        return byAudience || byClient
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(WRONG_AUDIENCE);
    }
}
