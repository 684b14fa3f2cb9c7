package io.decoupled.console.web;

import io.decoupled.websecurity.JsonApiEdge;
import io.decoupled.websecurity.WebServerHardening;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.MapperFeature;

/**
 * The console's API at the HTTP edge, as the services' (platform/web-security): what Tomcat refuses before a handler
 * runs (dot segments, encoded separators, a NUL or bytes that are not UTF-8 in the path, an undecodable query, a
 * wildcard Content-Type, TRACE, oversized headers) is a problem+json, and JSON is read strictly (a key sent twice, a
 * fraction for a whole number, an enum by position are 400s). The console is stricter in one way: no scalar is
 * converted ({@code "running": 1} is not true, {@code "5"} is not 5), since its few settings switch load on and off.
 */
@Configuration(proxyBeanMethods = false)
@Import(JsonApiEdge.class)
public class WebEdge {
    @Bean
    WebServerHardening webServerHardening() {
        return new WebServerHardening(DataSize.ofKilobytes(16));
    }

    @Bean
    JsonMapperBuilderCustomizer scalarsAsSent() {
        return builder -> builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
    }
}
