package io.decoupled.console.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A stand-in for a service jar in the launcher's tests: listens on $PORT, reports UP on /actuator/health,
 * shows on /env the variables the launcher was to give it, and drains on SIGTERM (or, with
 * FAKE_IGNORE_TERM=true, never finishes draining, to prove the launcher's kill bound).
 */
public final class FakeService {
    static final List<String> SHOWN = List.of(
            "SPRING_DATASOURCE_URL",
            "AWS_ENDPOINT_URL_SQS",
            "AWS_ENDPOINT_URL_KINESIS",
            "AWS_ENDPOINT_URL_DYNAMODB",
            "CBOR_ENABLED",
            "AWS_REGION",
            "SHIPPING_ADMIN_TOKEN",
            "CLICKSTREAM_BACKEND",
            "ANALYTICS_CLICKSTREAM_BACKEND",
            "SPRING_KAFKA_BOOTSTRAP_SERVERS",
            "MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE");

    private FakeService() {}

    public static void main(String[] args) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 0);
        server.createContext("/actuator/health", exchange -> respond(exchange, "{\"status\":\"UP\"}"));
        server.createContext(
                "/env",
                exchange -> respond(
                        exchange,
                        SHOWN.stream()
                                .filter(k -> System.getenv(k) != null)
                                .map(k -> "\"" + k + "\":\"" + System.getenv(k) + "\"")
                                .collect(Collectors.joining(",", "{", "}"))));
        server.start();
        System.out.println("fake service up on " + System.getenv("PORT"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("draining");
            server.stop(0);
            if (Boolean.parseBoolean(System.getenv("FAKE_IGNORE_TERM"))) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
