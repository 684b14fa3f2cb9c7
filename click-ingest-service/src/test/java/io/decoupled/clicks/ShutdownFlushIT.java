package io.decoupled.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.clicks.stream.StreamRecords;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.topology.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * Flush on shutdown: clicks that were accepted (202) but are still lingering in the buffer when the service
 * is stopped are written before the process ends. The linger is an hour here, so only the shutdown sends them.
 */
class ShutdownFlushIT {

    @Test
    void clicksStillBufferedAtShutdownAreWrittenBeforeTheServiceStops() throws Exception {
        var env = SharedAwsEnvironments.embedded();
        var properties = new HashMap<String, Object>(env.springProperties());
        properties.put("server.port", "0");
        properties.put("clickstream.producer.linger", "1h");
        var run = "flush-" + UUID.randomUUID().toString().substring(0, 8);
        var body = IntStream.range(0, 300)
                .mapToObj(i -> "{\"sessionId\":\"" + run + "-" + (i % 30) + "\",\"page\":\"/p/" + i
                        + "\",\"timestamp\":\"" + Instant.now() + "\"}")
                .collect(Collectors.joining(",", "[", "]"));

        // As command-line arguments, which outrank application.yml (default properties would not).
        var args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        var context = new SpringApplicationBuilder(ClickIngestApplication.class).run(args);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/clicks"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(202);
        }
        try (var kinesis = env.kinesis()) {
            assertThat(StreamRecords.readAll(kinesis, Topology.CLICKSTREAM))
                    .noneMatch(r -> r.partitionKey().startsWith(run));

            context.close();

            // Read once, right after close() returned: the flush is part of shutdown, not something to wait for.
            assertThat(StreamRecords.readAll(kinesis, Topology.CLICKSTREAM))
                    .filteredOn(r -> r.partitionKey().startsWith(run))
                    .hasSize(300);
        }
    }
}
