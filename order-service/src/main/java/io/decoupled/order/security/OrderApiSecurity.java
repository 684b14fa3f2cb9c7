package io.decoupled.order.security;

import io.decoupled.websecurity.ApiSecurityConfiguration;
import io.decoupled.websecurity.ProtectedPaths;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The shared resource-server chain on this API's paths: every order endpoint, reads too. */
@Configuration(proxyBeanMethods = false)
@Import(ApiSecurityConfiguration.class)
class OrderApiSecurity {
    @Bean
    ProtectedPaths protectedPaths() {
        return new ProtectedPaths(List.of("/orders/**"));
    }
}
