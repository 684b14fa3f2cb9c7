package io.decoupled.console.services;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.BufferingClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;

/**
 * GETs and POSTs JSON from the services with short timeouts, and turns every way of not answering into a
 * {@link Reply} with a sentence for the dashboard. A panel whose service is down, still starting, or does not
 * have that endpoint yet then says so instead of failing the page.
 *
 * <p>Every body goes out with its Content-Length (buffered first, never chunked): shipping-service's admin API refuses
 * a body sent without a length (413), and the console's bodies are a few bytes of JSON.
 */
@Component
public class ServiceClient {
    /** A service's answer, or the reason there is none. */
    public record Reply(JsonNode body, int status, String reason) {
        public boolean ok() {
            return reason == null;
        }

        static Reply of(JsonNode body, int status) {
            return new Reply(body, status, null);
        }

        static Reply failed(int status, String reason) {
            return new Reply(null, status, reason);
        }
    }

    private final RestClient http;

    ServiceClient(ServicesProperties properties) {
        var jdk = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
        var factory = new JdkClientHttpRequestFactory(jdk);
        factory.setReadTimeout(properties.timeout());
        // Streamed, the JDK client sends a body of unknown length chunked; buffered, it has a Content-Length.
        this.http = RestClient.builder()
                .requestFactory(new BufferingClientHttpRequestFactory(factory))
                .build();
    }

    public Reply get(String service, URI base, String pathAndQuery) {
        return get(service, base, pathAndQuery, Map.of());
    }

    public Reply get(String service, URI base, String pathAndQuery, Map<String, String> headers) {
        return exchange(service, HttpMethod.GET, base, pathAndQuery, headers, null);
    }

    public Reply post(String service, URI base, String path, Map<String, String> headers, Object body) {
        return exchange(service, HttpMethod.POST, base, path, headers, body);
    }

    public Reply put(String service, URI base, String path, Map<String, String> headers, Object body) {
        return exchange(service, HttpMethod.PUT, base, path, headers, body);
    }

    public Reply delete(String service, URI base, String path, Map<String, String> headers) {
        return exchange(service, HttpMethod.DELETE, base, path, headers, null);
    }

    /** The value of a Micrometer meter from {@code /actuator/metrics/{name}} (VALUE for gauges, COUNT for counters). */
    public Optional<Double> metric(URI base, String name, String... tags) {
        var query = new StringBuilder("/actuator/metrics/").append(name);
        for (int i = 0; i < tags.length; i++) {
            query.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
        }
        var reply = get("metric", base, query.toString());
        if (!reply.ok()) {
            return Optional.empty();
        }
        for (var measurement : reply.body().path("measurements")) {
            var statistic = measurement.path("statistic").asString("");
            if (statistic.equals("VALUE") || statistic.equals("COUNT")) {
                // A gauge with nothing to measure yet (shipping's autoscaler in its first seconds) reads "NaN", a
                // string: not a value, shown as missing rather than failing the whole panel.
                var value = measurement.path("value");
                return value.isNumber() ? Optional.of(value.asDouble()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A plain-text GET (the Prometheus scrape); empty when the service does not answer 200. */
    public Optional<String> text(URI base, String path) {
        try {
            return Optional.ofNullable(
                    http.get().uri(base.resolve(path)).retrieve().body(String.class));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Reply exchange(
            String service, HttpMethod method, URI base, String path, Map<String, String> headers, Object body) {
        URI uri = base.resolve(path);
        try {
            var request = http.method(method).uri(uri).headers(h -> headers.forEach(h::set));
            if (body != null) {
                request = request.body(body);
            }
            var entity = request.retrieve().toEntity(JsonNode.class);
            return Reply.of(entity.getBody(), entity.getStatusCode().value());
        } catch (RestClientResponseException e) {
            int status = e.getStatusCode().value();
            String why = status == 404
                    ? "not available: " + service + " has no " + method + " " + uri.getPath()
                    : service + " answered " + status + " to " + method + " " + uri.getPath() + problemDetail(e);
            return Reply.failed(status, why);
        } catch (ResourceAccessException e) {
            return Reply.failed(0, "not available: " + service + " is not reachable at " + base);
        } catch (RuntimeException e) {
            return Reply.failed(
                    0,
                    "not available: " + service + " gave an unreadable answer ("
                            + e.getClass().getSimpleName() + ")");
        }
    }

    private static String problemDetail(RestClientResponseException e) {
        String text = e.getResponseBodyAsString();
        return text.isBlank() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
