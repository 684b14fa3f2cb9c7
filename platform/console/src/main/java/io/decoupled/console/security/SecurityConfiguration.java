package io.decoupled.console.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loopback by default (application.yml), and a token the moment the console listens anywhere else: a console that
 * can inject poison messages and redrive queues is not left open to the network by a changed bind address.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleSecurityProperties.class)
class SecurityConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    FilterRegistrationBean<ActionGuard> actionGuard(
            ConsoleSecurityProperties properties, @Value("${server.address:}") String address) {
        var token = requiredToken(properties, address);
        var registration = new FilterRegistrationBean<>(new ActionGuard(token));
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    static Optional<String> requiredToken(ConsoleSecurityProperties properties, String address) {
        if (properties.token() != null && !properties.token().isBlank()) {
            return Optional.of(properties.token().strip());
        }
        if (isLoopback(address)) {
            return Optional.empty();
        }
        var generated = RandomTokens.generate();
        log.warn(
                "The console listens on {} (beyond loopback): its actions need a token. Open the dashboard as /#token={}",
                address.isBlank() ? "all interfaces" : address,
                generated);
        return Optional.of(generated);
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address.strip()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
