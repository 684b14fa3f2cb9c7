package io.decoupled.analytics;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AnalyticsConfiguration {
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
