package io.decoupled.console.load;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bearer token the generator sends to /orders and /clicks when those need one (the AWS deployment): a fixed token,
 * or one fetched by the OAuth 2.0 client-credentials grant (Cognito's token endpoint) and fetched again a minute before
 * it expires. None configured, no Authorization header (the local default, where the services ask for none).
 */
final class ApiCredentials {
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(60);

    private final LoadProperties.Auth auth;
    private final HttpClient http;
    private final JsonMapper json;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    ApiCredentials(LoadProperties.Auth auth, HttpClient http, JsonMapper json, Clock clock) {
        this.auth = auth;
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    /** The Authorization header's value, if the APIs need one. */
    synchronized Optional<String> authorization() {
        if (!auth.token().isBlank()) {
            return Optional.of("Bearer " + auth.token().strip());
        }
        if (auth.tokenUrl() == null) {
            return Optional.empty();
        }
        if (token == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return Optional.of("Bearer " + token);
    }

    private void fetch() {
        var basic = Base64.getEncoder()
                .encodeToString((auth.clientId() + ":" + auth.clientSecret()).getBytes(StandardCharsets.UTF_8));
        var form = "grant_type=client_credentials"
                + (auth.scope().isBlank() ? "" : "&scope=" + URLEncoder.encode(auth.scope(), StandardCharsets.UTF_8));
        var request = HttpRequest.newBuilder(auth.tokenUrl())
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                // The endpoint's error body names the cause (invalid_client, invalid_scope); it holds no secret.
                throw new IllegalStateException(
                        "token endpoint " + redacted(auth.tokenUrl()) + " answered " + response.statusCode());
            }
            var body = json.readTree(response.body());
            token = body.path("access_token").asString();
            if (token == null || token.isBlank()) {
                throw new IllegalStateException(
                        "token endpoint " + redacted(auth.tokenUrl()) + " sent no access_token");
            }
            long lifetime = body.path("expires_in").asLong(300);
            renewAt = clock.instant().plusSeconds(lifetime).minus(RENEW_BEFORE_EXPIRY);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "token endpoint " + redacted(auth.tokenUrl()) + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching a token", e);
        }
    }

    private static String redacted(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + uri.getPath();
    }
}
