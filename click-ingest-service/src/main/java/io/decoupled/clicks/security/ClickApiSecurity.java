package io.decoupled.clicks.security;

import io.decoupled.websecurity.ApiSecurityConfiguration;
import io.decoupled.websecurity.ProtectedPaths;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The shared resource-server chain on this API's paths: every click endpoint. */
@Configuration(proxyBeanMethods = false)
@Import(ApiSecurityConfiguration.class)
class ClickApiSecurity {
    @Bean
    ProtectedPaths protectedPaths() {
        return new ProtectedPaths(List.of("/clicks/**"));
    }
}
