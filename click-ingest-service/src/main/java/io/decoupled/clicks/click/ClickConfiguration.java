package io.decoupled.clicks.click;

import io.decoupled.websecurity.JsonApiEdge;
import io.decoupled.websecurity.WebServerHardening;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

@Configuration(proxyBeanMethods = false)
@Import(JsonApiEdge.class)
@EnableConfigurationProperties(ClickProperties.class)
class ClickConfiguration {
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The shared Tomcat hardening (dot segments, encoded separators) with this API's header limit. */
    @Bean
    WebServerHardening webServerHardening(ClickProperties limits) {
        return new WebServerHardening(limits.maxHeaderSize());
    }
}
