package io.decoupled.websecurity;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The parts of the HTTP edge a service that reads JSON request bodies takes as they are: the container's error page as
 * problem+json ({@link ProblemErrorPage}), strict JSON ({@link StrictJsonInput}) and well-formed UTF-8 under it
 * ({@link Utf8JsonBodies}). A service imports it beside its own {@link WebServerHardening} bean, which carries its
 * header limit.
 */
@Configuration(proxyBeanMethods = false)
public class JsonApiEdge {
    @Bean
    ProblemErrorPage problemErrorPage() {
        return new ProblemErrorPage();
    }

    @Bean
    StrictJsonInput strictJsonInput() {
        return new StrictJsonInput();
    }

    @Bean
    Utf8JsonBodies utf8JsonBodies() {
        return new Utf8JsonBodies();
    }
}
