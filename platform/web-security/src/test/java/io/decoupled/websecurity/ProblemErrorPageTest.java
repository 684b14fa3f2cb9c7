package io.decoupled.websecurity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What fails outside Spring MVC's handling reaches the container's error page; with {@link ProblemErrorPage} it is a
 * problem+json without internals, not Spring Boot's default body. A real Tomcat and raw sockets, because an HTTP client
 * cannot send a broken chunked body.
 */
@SpringBootTest(classes = ProblemErrorPageTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemErrorPageTest {
    @SpringBootConfiguration
    @ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class,
        HttpEncodingAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        JacksonAutoConfiguration.class
    })
    static class App {
        @Bean
        WebServerHardening webServerHardening() {
            return new WebServerHardening(DataSize.ofKilobytes(16));
        }

        @Bean
        ProblemErrorPage problemErrorPage() {
            return new ProblemErrorPage();
        }

        @Bean
        Echo echo() {
            return new Echo();
        }
    }

    @RestController
    static class Echo {
        @PostMapping("/echo")
        String echo(@RequestBody String body) {
            return "read " + body.length();
        }

        @PostMapping("/fails")
        String fails() {
            throw new IllegalStateException("internal detail that must not leak");
        }
    }

    @LocalServerPort
    int port;

    @Test
    void aBrokenChunkedBodyIsA400Problem() throws IOException {
        var response = send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        assertThat(response)
                .startsWith("HTTP/1.1 400")
                .containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"status\":400")
                .doesNotContain("\"timestamp\"", "Exception", "Tomcat");
    }

    @Test
    void anUnhandledExceptionIsA500ProblemThatLeaksNothing() throws IOException {
        var response =
                send("POST /fails HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(response)
                .startsWith("HTTP/1.1 500")
                .containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"status\":500", "it has been logged")
                .doesNotContain("internal detail", "\"timestamp\"", "IllegalStateException");
    }

    @Test
    void anUnknownPathIsA404Problem() throws IOException {
        assertThat(send("GET /nothing-here HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 404")
                .containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"status\":404");
    }

    private String send(String request) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
