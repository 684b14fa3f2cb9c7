package io.decoupled.console.load;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The load generator's settings; the rates can be changed while it runs from the dashboard.
 *
 * @param enabled start generating as soon as the console is up
 * @param poisonShare share of order ticks that send a poison message straight to shipping-orders instead
 * @param highValueShare share of orders with a total at or above the review threshold (order-review queue)
 * @param concurrency requests in flight at most; beyond it a tick is skipped (and counted), so a slow
 *                    service slows the generator rather than piling up threads
 * @param auth        how to authenticate to /orders and /clicks where they need a bearer token (the AWS deployment);
 *                    nothing by default
 */
@Validated
@ConfigurationProperties("console.load")
public record LoadProperties(
        @DefaultValue("false") boolean enabled,

        @DefaultValue("2") @DecimalMin("0") @DecimalMax("500")
        double ordersPerSecond,

        @DefaultValue("20") @DecimalMin("0") @DecimalMax("5000")
        double clicksPerSecond,

        @DefaultValue("0.02") @DecimalMin("0") @DecimalMax("1")
        double poisonShare,

        @DefaultValue("0.7") @DecimalMin("0") @DecimalMax("1")
        double shipShare,

        @DefaultValue("0.05") @DecimalMin("0") @DecimalMax("1")
        double highValueShare,

        @DefaultValue("200") @Min(1) @Max(10_000) int burstSize,
        @DefaultValue("64") @Min(1) @Max(1024) int concurrency,
        @DefaultValue("200") @Min(1) @Max(100_000) int sessions,
        @DefaultValue("10s") Duration progressLogInterval,
        @DefaultValue Auth auth) {

    /**
     * @param token        a fixed bearer token (CONSOLE_LOAD_AUTH_TOKEN), e.g. one fetched with curl from Cognito
     * @param tokenUrl     or an OAuth 2.0 token endpoint for the client-credentials grant (the stack's ApiTokenEndpoint)
     * @param clientId     the app client (the stack's ApiClientId)
     * @param clientSecret its secret (CONSOLE_LOAD_AUTH_CLIENTSECRET; never in a file)
     * @param scope        the scope to ask for (decoupled-api/write)
     */
    public record Auth(
            @DefaultValue("") String token,
            URI tokenUrl,
            @DefaultValue("") String clientId,
            @DefaultValue("") String clientSecret,
            @DefaultValue("") String scope) {
        @AssertTrue(message = "console.load.auth.token-url needs client-id and client-secret")
        boolean isComplete() {
            return tokenUrl == null || (!clientId.isBlank() && !clientSecret.isBlank());
        }
    }
}
