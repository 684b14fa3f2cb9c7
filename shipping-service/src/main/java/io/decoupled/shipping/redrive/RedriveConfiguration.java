package io.decoupled.shipping.redrive;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** Wires the redriver and puts the admin token check in front of {@code /admin/**}. */
@Configuration(proxyBeanMethods = false)
class RedriveConfiguration implements WebMvcConfigurer {
    private final AdminProperties admin;

    RedriveConfiguration(AdminProperties admin) {
        this.admin = admin;
    }

    @Bean
    DeadLetterRedriver deadLetterRedriver(SqsAsyncClient sqs, RedriveProperties settings, MeterRegistry meters, Clock clock) {
        return new DeadLetterRedriver(sqs, settings, meters, clock);
    }

    @Bean
    FilterRegistrationBean<AdminRequestLimit> adminRequestLimit() {
        var registration = new FilterRegistrationBean<>(new AdminRequestLimit(admin.maxRequestBody().toBytes()));
        registration.addUrlPatterns("/admin/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AdminTokenInterceptor(admin)).addPathPatterns("/admin/**");
    }
}
