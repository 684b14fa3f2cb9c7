package io.decoupled.websecurity;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
 * representation for its own problem and answered with a bare status. So are a request line Tomcat could not read (a
 * '{' or '|' in the path), a query string that is not percent-encoded UTF-8 and a wildcard Content-Type: each made a
 * 500 further in.
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
                if ("TRACE".equals(request.getMethod())) {
                    // Tomcat refuses TRACE itself (405, with its Allow header); Spring Boot's error page then
                    // answered with a JSON body of its own, not a problem.
                    response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
                    writeProblem(response, "TRACE is not allowed on this server.");
                    return;
                }
                var path = request.getRequestURI();
                // No path at all: Tomcat could not read the request line (a '{' or '|' in it), and says so only here.
                if (path == null || DOT_SEGMENT.matcher(path).find()) {
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
                if (!percentEncodedUtf8(request.getQueryString())) {
                    // Tomcat decodes the query only when a parameter is first read, and then fails with an exception
                    // the application sees as its own error (a 500).
                    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                    writeProblem(
                            response,
                            "The query string is not percent-encoded UTF-8: every '%' needs two hex digits, and the"
                                    + " bytes they make must be UTF-8.");
                    return;
                }
                if (wildcard(request.getContentType())) {
                    // Spring's request headers refuse to hold a wildcard Content-Type and fail the request (a 500).
                    response.setStatus(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
                    writeProblem(
                            response,
                            "The Content-Type is a wildcard; name the body's media type, such as application/json.");
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
            + " segments, encoded separators, NUL or other characters not allowed in a path, oversized headers).";

    /**
     * Whether the raw query string decodes as Tomcat will decode its parameters: each '%' followed by two hex digits,
     * and the bytes, once decoded, well-formed UTF-8 (no overlong forms, no encoded surrogates).
     */
    static boolean percentEncodedUtf8(String query) {
        if (query == null) {
            return true;
        }
        var bytes = new ByteArrayOutputStream(query.length());
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            int high = i + 2 < query.length() ? Character.digit(query.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(query.charAt(i + 2), 16);
            if (low < 0) {
                return false;
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Whether a Content-Type names a wildcard ({@code *}/{@code *}, {@code application/*}, {@code application/*+json}). */
    private static boolean wildcard(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            var type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            // Unreadable, not a wildcard: Spring answers that itself, with a 415.
            return false;
        }
    }

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
        // A request Tomcat has already refused (a path parameter on a dot segment: its own sendError) arrives with
        // its response suspended, which would drop this body and leave an empty problem.
        response.setSuspended(false);
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
