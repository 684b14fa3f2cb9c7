package io.decoupled.clicks.click;

import io.decoupled.websecurity.ProblemErrorPage;
import io.decoupled.websecurity.StrictJsonInput;
import io.decoupled.websecurity.WebServerHardening;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
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

    /** The container's error page as problem+json (platform/web-security), instead of Spring Boot's default body. */
    @Bean
    ProblemErrorPage problemErrorPage() {
        return new ProblemErrorPage();
    }

    /** Click bodies read strictly: a key sent twice is a 400, not its last value. */
    @Bean
    StrictJsonInput strictJsonInput() {
        return new StrictJsonInput();
    }
}
