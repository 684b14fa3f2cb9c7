package io.decoupled.websecurity;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.regex.Pattern;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;

/**
 * Tomcat refuses, with a 400 and before any filter runs, request paths that a proxy and Tomcat would read differently:
 * encoded slashes or backslashes, encoded dot segments and path parameters on them (Tomcat's rejectSuspiciousURIs),
 * and literal dot segments, which Tomcat would otherwise resolve as it is allowed to (an engine valve looking at the
 * raw request URI): the load balancer routes
 * /orders/%2e%2e/actuator as an /orders path, Tomcat would normalise it to /actuator. Oversized request headers are
 * refused the same way (400), so one request cannot make the service hold megabytes of headers. Every such refusal is
 * a problem+json with a fixed detail, like the application's own (Tomcat answered with its HTML page, naming its
 * version, or with an empty body). So is an Accept header that cannot be parsed: Spring could choose no
 * representation for its own problem and answered with a bare status.
 *
 * <p>Every service declares it as a bean with the header limit of its own settings (their names differ by service and
 * stay as users know them).
 */
public final class WebServerHardening implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {
    private final DataSize maxRequestHeader;

    /** @param maxRequestHeader the largest request line plus headers; larger is a 400 before anything is parsed */
    public WebServerHardening(DataSize maxRequestHeader) {
        this.maxRequestHeader = maxRequestHeader;
    }

    /** A "." or ".." segment of the raw path, ended by a slash, a path parameter or the end of the path. */
    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.{1,2}(/|;|$)");

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        factory.addEngineValves(new ValveBase(true) {
            @Override
            public void invoke(Request request, Response response) throws IOException, ServletException {
                if (DOT_SEGMENT.matcher(request.getRequestURI()).find()) {
                    // Written here: an engine valve is outside the host, whose error report would otherwise answer.
                    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                    writeProblem(response, REFUSED);
                    return;
                }
                if (!readable(request.getHeaders(HttpHeaders.ACCEPT))) {
                    // Spring cannot choose a representation for its own problem either, and answers with no body.
                    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                    writeProblem(
                            response,
                            "The Accept header cannot be parsed as media types; send application/json or leave it out.");
                    return;
                }
                getNext().invoke(request, response);
            }
        });
        // The host's error report valve: Tomcat adds it when the host starts, after Spring Boot's own (an HTML page
        // without details), so it runs first on the way out and answers instead.
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
        factory.addConnectorCustomizers(connector -> {
            connector.setRejectSuspiciousURIs(true);
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxHttpRequestHeaderSize(Math.toIntExact(maxRequestHeader.toBytes()));
            }
        });
    }

    /**
     * What Tomcat answers for a request it refused itself (a NUL or an encoded separator in the path) or that failed
     * with nothing written: a problem+json like every other refusal of these APIs, instead of Tomcat's HTML page or an
     * empty body. A response the application wrote (Spring's problems, its error page) is left alone. Public because
     * Tomcat creates it by class name.
     */
    public static final class ProblemReportValve extends ErrorReportValve {
        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            try {
                writeProblem(response, REFUSED);
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the body was already taken: the status line is the answer.
            }
        }
    }

    private static final String REFUSED = "Refused by the web server: the path or the headers cannot be accepted (dot"
            + " segments, encoded separators or NUL, oversized headers).";

    /** Whether every Accept header parses as Spring's content negotiation will parse it. */
    private static boolean readable(Enumeration<String> accept) {
        try {
            MediaType.parseMediaTypes(Collections.list(accept));
            return true;
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** A problem with the response's status and a fixed detail: nothing of the refused request is echoed. */
    private static void writeProblem(Response response, String detail) throws IOException {
        int status = response.getStatus();
        var reason = HttpStatus.resolve(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8);
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + (reason == null ? "Error" : reason.getReasonPhrase())
                        + "\",\"status\":" + status
                        + ",\"detail\":\"" + detail + "\"}");
        response.finishResponse();
    }
}
