package io.decoupled.clicks.producer;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What both adapters of the clickstream port share: the backend setting and the producer meters. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClickstreamSettings.class)
class ClickstreamConfiguration {
    @Bean
    ProducerMetrics producerMetrics(MeterRegistry registry) {
        return new ProducerMetrics(registry);
    }
}
