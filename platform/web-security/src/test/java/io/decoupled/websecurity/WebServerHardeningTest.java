package io.decoupled.websecurity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.util.unit.DataSize;

/**
 * A real Tomcat with the hardening every service declares: the paths that a load balancer routes one way and Tomcat would
 * normalise another never reach a servlet, nor do oversized headers. Raw sockets, because HTTP clients normalise
 * or re-encode such paths before sending them.
 */
class WebServerHardeningTest {
    private static WebServer server;

    @BeforeAll
    static void start() {
        var factory = new TomcatServletWebServerFactory(0);
        factory.setAddress(InetAddress.getLoopbackAddress());
        new WebServerHardening(DataSize.ofKilobytes(16)).customize(factory);
        server = factory.getWebServer(context -> context.addServlet("echo", new HttpServlet() {
                    @Override
                    protected void service(HttpServletRequest request, HttpServletResponse response)
                            throws IOException {
                        response.getWriter().write("reached " + request.getServletPath() + request.getPathInfo());
                    }
                })
                .addMapping("/*"));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void anOrdinaryPathReachesTheApplication() throws IOException {
        assertThat(get("/orders/42", "")).startsWith("HTTP/1.1 200").contains("reached");
        // dots inside a segment are not dot segments
        assertThat(get("/orders/v1.2..3", "")).startsWith("HTTP/1.1 200");
    }

    @Test
    void dotSegmentsAndEncodedSeparatorsAreRefusedBeforeTheApplication() throws IOException {
        for (var path : new String[] {
            "/orders/../actuator/prometheus",
            "/orders/%2e%2e/actuator/prometheus",
            "/orders/%2E%2E/admin/dlq",
            "/orders/.%2e/actuator",
            "/orders/..;/actuator",
            "/orders/%2e%2e;x=1/actuator",
            "/orders/..%2factuator",
            "/orders/%2F..%2Factuator",
            "/orders/..%5cactuator",
            "/orders/./x"
        }) {
            assertThat(get(path, "")).as(path).startsWith("HTTP/1.1 400").doesNotContain("reached");
        }
    }

    @Test
    void headersOverTheLimitAreRefusedAndWithinItAccepted() throws IOException {
        assertThat(get("/orders/42", "X-Padding: " + "a".repeat(17 * 1024) + "\r\n"))
                .startsWith("HTTP/1.1 400")
                .doesNotContain("reached");
        assertThat(get("/orders/42", "X-Padding: " + "a".repeat(8 * 1024) + "\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    /** Refused before any servlet, yet answered like every other refusal of these APIs: a problem, not an HTML page. */
    @Test
    void everyRefusalIsAProblemWithoutAStackTraceOrServerName() throws IOException {
        for (var refused : new String[][] {
            {"/orders/../actuator/prometheus", ""},
            {"/orders/%2e%2e/actuator/prometheus", ""},
            {"/orders/..;/orders", ""},
            {"/orders/%2e%2e;x=1/actuator", ""},
            {"/analytics/orders/%00/path", ""},
            {"/orders/42", "X-Padding: " + "a".repeat(17 * 1024) + "\r\n"},
            {"/orders/42", "Accept: garbage\r\n"},
            {"/orders/42", "Accept: application/json\r\nAccept: text/html;q=x\r\n"}
        }) {
            var response = get(refused[0], refused[1]);
            assertThat(response)
                    .as(refused[0])
                    .startsWith("HTTP/1.1 400")
                    .containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("\"status\":400")
                    .doesNotContain("Tomcat")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void anUnreadableAcceptHeaderIsNamedAndAReadableOneReachesTheApplication() throws IOException {
        assertThat(get("/orders/42", "Accept: garbage\r\n"))
                .startsWith("HTTP/1.1 400")
                .contains("The Accept header cannot be parsed")
                .doesNotContain("reached");
        assertThat(get("/orders/42", "Accept: text/html, application/problem+json;q=0.5\r\n"))
                .startsWith("HTTP/1.1 200")
                .contains("reached");
    }

    @Test
    void aPathTomcatCannotReadIsA400ProblemNotA500() throws IOException {
        for (var path : new String[] {"/x{y}", "/orders/{b9eb1348-08fd-42d8-aa07-315ec60c7133}", "/a|b", "/a}"}) {
            assertThat(get(path, ""))
                    .as(path)
                    .startsWith("HTTP/1.1 400")
                    .containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("\"status\":400")
                    .doesNotContain("reached");
        }
    }

    @Test
    void aQueryThatIsNotPercentEncodedUtf8IsA400ProblemNamingTheQuery() throws IOException {
        for (var query : new String[] {"page=%ff", "size=%", "status=%g1", "x=%C0%AF", "x=%ED%A0%80", "a=1&b=%e2%82"}) {
            assertThat(get("/orders?" + query, ""))
                    .as(query)
                    .startsWith("HTTP/1.1 400")
                    .containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("The query string is not percent-encoded UTF-8")
                    .doesNotContain("reached");
        }
        for (var query : new String[] {"page=1&size=20", "q=%C3%A9t%C3%A9+x", "x=%00", "emoji=%F0%9F%98%80", "e="}) {
            assertThat(get("/orders?" + query, "")).as(query).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aWildcardContentTypeIsA415ProblemAndAConcreteOneReachesTheApplication() throws IOException {
        for (var type : new String[] {"*/*", "application/*", "text/*", "application/*+json"}) {
            assertThat(get("/orders", "Content-Type: " + type + "\r\n"))
                    .as(type)
                    .startsWith("HTTP/1.1 415")
                    .containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("The Content-Type is a wildcard")
                    .doesNotContain("reached");
        }
        assertThat(get("/orders", "Content-Type: application/json\r\n")).startsWith("HTTP/1.1 200");
        assertThat(get("/orders", "Content-Type: application/merge-patch+json\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void traceIsA405Problem() throws IOException {
        assertThat(send("TRACE", "/orders/42", ""))
                .startsWith("HTTP/1.1 405")
                .containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"status\":405")
                .doesNotContain("reached");
    }

    private static String get(String rawPath, String extraHeaders) throws IOException {
        return send("GET", rawPath, extraHeaders);
    }

    private static String send(String method, String rawPath, String extraHeaders) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + rawPath + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
