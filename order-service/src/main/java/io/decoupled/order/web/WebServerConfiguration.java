package io.decoupled.order.web;

import io.decoupled.websecurity.JsonApiEdge;
import io.decoupled.websecurity.WebServerHardening;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

@Configuration(proxyBeanMethods = false)
@Import(JsonApiEdge.class)
class WebServerConfiguration {
    /** The shared Tomcat hardening (dot segments, encoded separators) with this API's header limit. */
    @Bean
    WebServerHardening webServerHardening(WebLimits limits) {
        return new WebServerHardening(limits.maxRequestHeader());
    }
}
