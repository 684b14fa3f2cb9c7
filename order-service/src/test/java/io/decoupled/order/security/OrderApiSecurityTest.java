package io.decoupled.order.security;

import io.decoupled.websecurity.SecuredApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * This service's wiring of the shared chain (platform/web-security tests the chain itself, token by token): with
 * authentication on, every order endpoint needs a valid token with the scope, and health stays open.
 */
class OrderApiSecurityTest {
    @RegisterExtension
    static final SecuredApi api = SecuredApi.of(OrderApiSecurity.class);

    @Test
    void everyOrderEndpointNeedsAValidTokenWithTheScope() throws Exception {
        api.assertProtected(
                "POST /orders",
                "GET /orders",
                "GET /orders/42",
                "GET /orders/counts",
                "POST /orders/42/cancel",
                "GET /orders/42/path");
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        api.assertOpen("GET /actuator/health");
    }
}
