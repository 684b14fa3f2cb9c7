package io.decoupled.clicks.security;

import io.decoupled.websecurity.SecuredApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * This service's wiring of the shared chain (platform/web-security tests the chain itself, token by token): with
 * authentication on, the click endpoint needs a valid token with the scope, and health stays open.
 */
class ClickIngestApiSecurityTest {
    @RegisterExtension
    static final SecuredApi api = SecuredApi.of(ClickApiSecurity.class);

    @Test
    void theClickEndpointNeedsAValidTokenWithTheScope() throws Exception {
        api.assertProtected("POST /clicks", "POST /clicks?await=true");
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        api.assertOpen("GET /actuator/health");
    }
}
