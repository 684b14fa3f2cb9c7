package io.decoupled.websecurity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * A service API's one security filter chain, for each service that imports it with its {@link ProtectedPaths}. With
 * {@code api.security.enabled} every request on those paths needs a bearer token that this issuer signed (keys from its
 * JWKS), that has not expired, and that is meant for this API ({@link AudienceValidator}); without it, nothing is asked
 * (the laptop demo). Either way the chain is stateless, sets no cookie (so there is nothing for a cross-site request to
 * ride on, and CSRF protection has nothing to protect), and its firewall refuses encoded dots and slashes, a second
 * wall behind Tomcat's ({@link WebServerHardening}). Failures are problem+json: 401 without a valid token, 403 without
 * the scope, 400 for a refused path.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ApiSecurityProperties.class)
public class ApiSecurityConfiguration {
    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiSecurityProperties properties, ProtectedPaths paths)
            throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> {});
        if (!properties.enabled()) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
            return http.build();
        }
        var patterns = paths.patterns().toArray(String[]::new);
        http.authorizeHttpRequests(requests -> {
                    if (properties.requiresScope()) {
                        requests.requestMatchers(patterns).hasAuthority("SCOPE_" + properties.scope());
                    } else {
                        requests.requestMatchers(patterns).authenticated();
                    }
                    requests.anyRequest().permitAll();
                })
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder(properties)))
                        .authenticationEntryPoint(this::unauthorized)
                        .accessDeniedHandler(this::forbidden))
                .exceptionHandling(errors ->
                        errors.authenticationEntryPoint(this::unauthorized).accessDeniedHandler(this::forbidden));
        return http.build();
    }

    /**
     * The firewall guards the path (encoded or literal dots and slashes, path parameters); header and parameter values
     * are the API's to validate, with a 400 that names the field. Left to the firewall, a stray byte in a header would
     * be thrown from inside the controller and end as a 500.
     */
    @Bean
    StrictHttpFirewall pathFirewall() {
        var firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(name -> true);
        firewall.setAllowedHeaderValues(value -> true);
        firewall.setAllowedParameterNames(name -> true);
        firewall.setAllowedParameterValues(value -> true);
        return firewall;
    }

    /** A path the firewall refuses (encoded dot, slash, backslash, semicolon...) is a 400 problem, not a 500. */
    @Bean
    RequestRejectedHandler refusedPaths() {
        return (request, response, rejected) -> write(
                response,
                HttpStatus.BAD_REQUEST,
                "Bad Request",
                "The request path contains a sequence this service refuses (encoded dots, slashes or path parameters).");
    }

    static JwtDecoder decoder(ApiSecurityProperties properties) {
        var decoder = NimbusJwtDecoder.withJwkSetUri(properties.signingKeys().toString())
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(List.of(
                new JwtTimestampValidator(properties.clockSkew()),
                new JwtIssuerValidator(properties.issuerUri().toString()),
                new AudienceValidator(properties.audiences()))));
        return decoder;
    }

    private void unauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        // Sets WWW-Authenticate: Bearer with the RFC 6750 error code; the body says the same for people.
        new BearerTokenAuthenticationEntryPoint().commence(request, response, e);
        write(
                response,
                HttpStatus.UNAUTHORIZED,
                "Unauthorized",
                "This API needs 'Authorization: Bearer <access token>' with a valid, unexpired token of the configured issuer and audience.");
    }

    private void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        new BearerTokenAccessDeniedHandler().handle(request, response, e);
        write(response, HttpStatus.FORBIDDEN, "Forbidden", "The access token lacks the scope this API requires.");
    }

    private static void write(HttpServletResponse response, HttpStatus status, String title, String detail)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // Fixed texts only: nothing the client sent is echoed.
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\"}"
                        .formatted(title, status.value(), detail));
    }
}
