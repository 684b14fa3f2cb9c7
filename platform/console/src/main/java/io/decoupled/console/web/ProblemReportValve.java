package io.decoupled.console.web;

import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * What Tomcat answers for a request it refused itself, before any filter or servlet: a NUL, a byte that is not UTF-8
 * or an encoded backslash in the path ({@code /api/orders/%00/path}). It was Tomcat's HTML error page; it is a
 * problem+json with a fixed detail like every other refusal of the console's API. A response the application wrote
 * (its problems, its error page) is left alone. Public because Tomcat creates it by class name.
 */
public final class ProblemReportValve extends ErrorReportValve {
    static final String REFUSED = "refused by the web server before the console read it: the path or the headers cannot"
            + " be accepted (a NUL, an encoded separator, bytes that are not UTF-8, or oversized headers)";

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        var status = HttpStatus.resolve(response.getStatus());
        if (status == null || !status.isError() || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            Problems.write(response, status, REFUSED);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the body was already taken: the status line is the answer.
        }
    }
}
