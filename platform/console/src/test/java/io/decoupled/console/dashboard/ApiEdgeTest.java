package io.decoupled.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import io.decoupled.console.faults.ProcessFaults;
import io.decoupled.console.history.DashboardHistory;
import io.decoupled.console.load.LoadGenerator;
import io.decoupled.console.queues.PoisonInjector;
import io.decoupled.console.services.OrderPathSource;
import io.decoupled.console.services.OrdersSource;
import io.decoupled.console.services.ShippingSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * The API behind a real Tomcat, with the console's web edge: what Tomcat or the servlet container refuses before a
 * handler runs (an undecodable path or query, a TRACE) is a problem+json like the API's own refusals, never Tomcat's
 * HTML page or Spring Boot's default error body, and changes nothing. Raw sockets, because HTTP clients normalise or
 * re-encode such requests before sending them.
 */
@SpringBootTest(classes = ApiEdgeTest.Api.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiEdgeTest {
    @SpringBootConfiguration
    @ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class,
        HttpEncodingAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        JacksonAutoConfiguration.class,
        ValidationAutoConfiguration.class
    })
    @Import({DashboardController.class, ApiProblems.class})
    @ComponentScan("io.decoupled.console.web")
    static class Api {}

    @LocalServerPort
    int port;

    @MockitoBean
    DashboardCollector collector;

    @MockitoBean
    LoadGenerator load;

    @MockitoBean
    PoisonInjector poison;

    @MockitoBean
    ShippingSource shipping;

    @MockitoBean
    DashboardHistory history;

    @MockitoBean
    OrdersSource orders;

    @MockitoBean
    OrderPathSource paths;

    @MockitoBean
    ProcessFaults processFaults;

    @AfterEach
    void nothingWasDone() {
        verifyNoInteractions(load, poison, shipping, orders, paths, processFaults);
    }

    @Test
    void aPathTomcatRefusesIsAProblemNotTomcatsPage() throws IOException {
        for (var path : new String[] {"/api/orders/%00/path", "/api/orders/%ff/path", "/api/orders/%5C/path"}) {
            assertThat(send("GET", path, "", ""))
                    .as(path)
                    .startsWith("HTTP/1.1 400")
                    .containsIgnoringCase("refused by the web server")
                    .satisfies(ApiEdgeTest::isAProblemWithoutInternals);
        }
    }

    @Test
    void anUndecodableQueryIsA400ProblemAndSendsNoBurst() throws IOException {
        for (var query : new String[] {"count=%ff", "count=%", "count=%zz", "count=1&count=%c3%28"}) {
            assertThat(send("POST", "/api/actions/burst?" + query, "", ""))
                    .as(query)
                    .startsWith("HTTP/1.1 400")
                    .contains("The query string is not percent-encoded UTF-8")
                    .satisfies(ApiEdgeTest::isAProblemWithoutInternals);
        }
    }

    @Test
    void traceIsA405Problem() throws IOException {
        for (var path : new String[] {"/api/dashboard", "/api/load", "/"}) {
            assertThat(send("TRACE", path, "", ""))
                    .as(path)
                    .startsWith("HTTP/1.1 405")
                    .contains("TRACE is not allowed")
                    .satisfies(ApiEdgeTest::isAProblemWithoutInternals);
        }
    }

    @Test
    void aWildcardContentTypeIsA415ProblemAndChangesNothing() throws IOException {
        for (var type : new String[] {"*/*", "application/*", "application/*+json"}) {
            assertThat(send(
                            "PUT",
                            "/api/load",
                            "Content-Type: " + type + "\r\n",
                            "{\"running\":true,\"ordersPerSecond\":1,\"clicksPerSecond\":1,\"poisonShare\":0}"))
                    .as(type)
                    .startsWith("HTTP/1.1 415")
                    .satisfies(ApiEdgeTest::isAProblemWithoutInternals);
        }
    }

    /** Hostile bodies and headers on the buttons: each a 4xx problem, none a 5xx, none with an effect. */
    @Test
    void hostileRequestsAreProblemsWithoutAnEffect() throws IOException {
        String json = "Content-Type: application/json\r\n";
        for (var request : new String[][] {
            {
                "PUT",
                "/api/load",
                json,
                "{\"running\":false,\"running\":true,\"ordersPerSecond\":1,"
                        + "\"clicksPerSecond\":1,\"poisonShare\":0}"
            },
            {"PUT", "/api/load", json, "{\"running\":1,\"ordersPerSecond\":1,\"clicksPerSecond\":1,\"poisonShare\":0}"},
            {
                "PUT",
                "/api/load",
                json,
                "{\"running\":true,\"ordersPerSecond\":\"5\",\"clicksPerSecond\":1," + "\"poisonShare\":0}"
            },
            {
                "PUT",
                "/api/load",
                json,
                "{\"running\":true,\"ordersPerSecond\":NaN,\"clicksPerSecond\":1," + "\"poisonShare\":0}"
            },
            {
                "PUT",
                "/api/load",
                json,
                "{\"running\":true,\"ordersPerSecond\":1e400,\"clicksPerSecond\":1," + "\"poisonShare\":0}"
            },
            {"PUT", "/api/load", json, "[".repeat(5000)},
            {"PUT", "/api/load", json, "{\"running\":true} trailing"},
            {"PUT", "/api/load", json, "\u00ff\u00fe\u0000{"},
            {"PUT", "/api/load", json, ""},
            {"PUT", "/api/faults/carrier", json, "{\"latencyMillis\":1,\"latencyMillis\":2,\"failureRate\":0}"},
            {"PUT", "/api/faults/carrier", json, "{\"latencyMillis\":true,\"failureRate\":0}"},
            {"PUT", "/api/faults/carrier", "Content-Type: text/plain\r\n", "latencyMillis=1"},
            {"PUT", "/api/faults/carrier", "Content-Type: garbage\r\n", "{}"},
            {
                "PUT",
                "/api/load",
                json + "Accept: application/xml\r\n",
                "{\"running\":false,\"ordersPerSecond\":1," + "\"clicksPerSecond\":1,\"poisonShare\":0}"
            },
            {"POST", "/api/actions/redrive", "Accept: text/html\r\n", ""},
            {"POST", "/api/actions/burst?count=-1", "", ""},
            {"POST", "/api/actions/burst?count=99999999999999999999", "", ""},
            {"GET", "/api/orders/" + "a".repeat(2000) + "/path", "", ""},
        }) {
            var what = request[0] + " " + request[1] + " " + request[2].strip() + " "
                    + request[3].substring(0, Math.min(60, request[3].length()));
            assertThat(send(request[0], request[1], request[2], request[3]))
                    .as(what)
                    .matches("(?s)HTTP/1\\.1 4\\d\\d .*")
                    .satisfies(ApiEdgeTest::isAProblemWithoutInternals);
        }
    }

    private static void isAProblemWithoutInternals(String response) {
        assertThat(response)
                .containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"status\":4")
                .doesNotContain("Tomcat", "Exception", "\tat ", "\"timestamp\"", "<html");
    }

    private String send(String method, String rawPathAndQuery, String headers, String body) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            byte[] content = body.getBytes(StandardCharsets.ISO_8859_1);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + rawPathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                            + (content.length > 0 || method.equals("PUT") || method.equals("POST")
                                    ? "Content-Length: " + content.length + "\r\n"
                                    : "")
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
