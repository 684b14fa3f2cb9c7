package io.decoupled.websecurity;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.webmvc.error.ErrorController;

/**
 * Test kit (in this module's test-jar): a service's context holds the shared Tomcat hardening. Each service declares
 * {@link WebServerHardening} as a bean of its own, with its header limit, so a service that forgot it would boot
 * without it; what the bean does to Tomcat is proven once, here ({@code WebServerHardeningTest}).
 */
public final class DeclaredHardening {
    private DeclaredHardening() {}

    /**
     * Fails unless exactly one {@link WebServerHardening} is declared in the service's context, and its error page is
     * the {@link ProblemErrorPage}.
     */
    public static void assertDeclaredIn(ListableBeanFactory context) {
        assertThat(context.getBeansOfType(WebServerHardening.class))
                .as("the service's WebServerHardening bean (platform/web-security)")
                .hasSize(1);
        assertThat(context.getBeansOfType(ErrorController.class).values())
                .as("the service's error page: ProblemErrorPage (platform/web-security)")
                .singleElement()
                .isInstanceOf(ProblemErrorPage.class);
    }
}
