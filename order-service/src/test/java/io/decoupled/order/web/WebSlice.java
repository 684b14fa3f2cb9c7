package io.decoupled.order.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What a {@code @WebMvcTest} of an order-service controller adds from this package: the slice picks up the advice and
 * the body limit filter, but not the settings the filter reads ({@code @ConfigurationPropertiesScan} skips them there),
 * nor the web server configuration, whose strict JSON reading the controllers' answers depend on.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebLimits.class)
@Import(WebServerConfiguration.class)
public class WebSlice {}
