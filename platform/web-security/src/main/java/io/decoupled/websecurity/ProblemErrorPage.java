package io.decoupled.websecurity;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The servlet container's error page as problem+json, like every refusal of these APIs, instead of Spring Boot's
 * default body ({@code {"timestamp":…,"error":…}}): for what fails outside Spring MVC's own handling, such as a
 * request body whose chunked encoding is broken, and an exception no handler turned into an answer (a 500; the log
 * has it, the answer does not). The detail is fixed per status: nothing of the request is echoed.
 *
 * <p>Every service declares it as a bean beside its {@link WebServerHardening}; Spring Boot's own error controller
 * then steps aside.
 */
@Controller
public final class ProblemErrorPage implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        var status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                ? HttpStatus.resolve(code)
                : HttpStatus.NOT_FOUND;
        if (status == null || !status.isError()) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        var problem = ProblemDetail.forStatusAndDetail(status, detail(status));
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
            try {
                problem.setInstance(URI.create(path));
            } catch (IllegalArgumentException e) {
                // Not a URI reference: the problem goes without its instance rather than echo it.
            }
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static String detail(HttpStatus status) {
        return switch (status) {
            case METHOD_NOT_ALLOWED -> "This method is not allowed here (the Allow header lists those that are).";
            case NOT_FOUND -> "There is nothing at this path.";
            case BAD_REQUEST -> "The request could not be read (its body's framing or encoding is broken).";
            case INTERNAL_SERVER_ERROR -> "The request failed unexpectedly; it has been logged.";
            default -> "The request was refused (" + status.value() + " " + status.getReasonPhrase() + ").";
        };
    }
}
