package io.decoupled.shipping.redrive;

import io.decoupled.websecurity.JsonApiEdge;
import io.decoupled.websecurity.WebServerHardening;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Wires the redriver and puts, in this order, the switch, the rate limit and the token check in front of
 * {@code /admin/**}: a switched-off API answers nothing else, and a token guesser is throttled before the comparison.
 */
@Configuration(proxyBeanMethods = false)
@Import(JsonApiEdge.class)
class RedriveConfiguration implements WebMvcConfigurer {
    private static final Logger log = LoggerFactory.getLogger(RedriveConfiguration.class);

    private final AdminProperties admin;
    private final String token;

    RedriveConfiguration(AdminProperties admin) {
        this.admin = admin;
        this.token = admin.configuredToken().orElseGet(() -> {
            var generated = AdminProperties.generateToken();
            if (admin.enabled()) {
                // Like Spring Security's generated password: usable on this machine, never the same twice.
                log.warn("No SHIPPING_ADMIN_TOKEN was set: the admin API's token for this run is {}", generated);
            }
            return generated;
        });
    }

    @Bean
    DeadLetterRedriver deadLetterRedriver(
            SqsAsyncClient sqs, RedriveProperties settings, MeterRegistry meters, Clock clock) {
        return new DeadLetterRedriver(sqs, settings, meters, clock);
    }

    /** The shared Tomcat hardening (dot segments, encoded separators) with the admin settings' header limit. */
    @Bean
    WebServerHardening webServerHardening() {
        return new WebServerHardening(admin.maxRequestHeader());
    }

    @Bean
    FilterRegistrationBean<AdminRequestLimit> adminRequestLimit() {
        var registration = new FilterRegistrationBean<>(
                new AdminRequestLimit(admin.maxRequestBody().toBytes()));
        registration.addUrlPatterns("/admin/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AdminSwitch(admin.enabled())).addPathPatterns("/admin/**");
        registry.addInterceptor(new AdminRateLimit(admin.requestsPerSecond())).addPathPatterns("/admin/**");
        registry.addInterceptor(new AdminTokenInterceptor(token)).addPathPatterns("/admin/**");
    }
}
