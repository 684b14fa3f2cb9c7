package io.decoupled.websecurity;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.util.unit.DataSize;

/**
 * Tomcat refuses, with a 400 and before any filter runs, request paths that a proxy and Tomcat would read differently:
 * encoded slashes or backslashes, encoded dot segments and path parameters on them (Tomcat's rejectSuspiciousURIs),
 * and literal dot segments, which Tomcat would otherwise resolve as it is allowed to (an engine valve looking at the
 * raw request URI): the load balancer routes
 * /orders/%2e%2e/actuator as an /orders path, Tomcat would normalise it to /actuator. Oversized request headers are
 * refused the same way (400), so one request cannot make the service hold megabytes of headers.
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
                    response.sendError(HttpServletResponse.SC_BAD_REQUEST);
                    return;
                }
                getNext().invoke(request, response);
            }
        });
        factory.addConnectorCustomizers(connector -> {
            connector.setRejectSuspiciousURIs(true);
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxHttpRequestHeaderSize(Math.toIntExact(maxRequestHeader.toBytes()));
            }
        });
    }
}
