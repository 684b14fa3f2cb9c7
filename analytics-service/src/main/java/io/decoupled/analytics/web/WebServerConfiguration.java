package io.decoupled.analytics.web;

import io.decoupled.websecurity.ProblemErrorPage;
import io.decoupled.websecurity.WebServerHardening;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WebServerConfiguration {
    /** The shared Tomcat hardening (dot segments, encoded separators) with this API's header limit. */
    @Bean
    WebServerHardening webServerHardening(WebLimits limits) {
        return new WebServerHardening(limits.maxRequestHeader());
    }

    /** The container's error page as problem+json (platform/web-security), instead of Spring Boot's default body. */
    @Bean
    ProblemErrorPage problemErrorPage() {
        return new ProblemErrorPage();
    }
}
