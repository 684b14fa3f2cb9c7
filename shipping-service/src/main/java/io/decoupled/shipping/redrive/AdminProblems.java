package io.decoupled.shipping.redrive;

import io.decoupled.websecurity.StrictJsonInput;
import jakarta.validation.ConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import software.amazon.awssdk.core.exception.SdkException;
import tools.jackson.core.JacksonException;

/**
 * RFC 9457 answers for the service's HTTP API (the admin endpoints are all of it): bad input is a 400 naming the
 * field or parameter, an unknown path a 404, an unreachable or failing SQS a 503 (the operator retries later), never
 * a stack trace and never a bare error page. Global rather than limited to the controller, so that failures before
 * a handler is found (no such path, wrong method) are problems too. Details quote at most a short, escaped prefix of what
 * was sent, so an error cannot echo a large body or control characters into a client's logs.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminProblems extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(AdminProblems.class);
    private static final int MAX_QUOTED = 40;

    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail invalid(ConstraintViolationException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, sanitise(e.getMessage(), 500));
    }

    @ExceptionHandler({SdkException.class, CompletionException.class})
    ProblemDetail sqsUnavailable(RuntimeException e) {
        log.warn("SQS call of an admin request failed", e);
        var cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "SQS did not complete the request: " + sanitise(cause.getMessage(), 200));
    }

    /**
     * Anything else is a bug here: a 500 problem without internals, the stack trace in the log. Without it the
     * exception left the MVC layer and the operator got the container's error page instead of a problem.
     */
    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("Unexpected failure of an admin request", e);
        return ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "The request failed unexpectedly; it has been logged.");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var errors = new ArrayList<Map<String, String>>();
        for (var error : ex.getBindingResult().getFieldErrors()) {
            errors.add(Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())));
        }
        return invalid(ex, errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var errors = new ArrayList<Map<String, String>>();
        for (var result : ex.getParameterValidationResults()) {
            if (result instanceof ParameterErrors bean) {
                bean.getFieldErrors()
                        .forEach(e -> errors.add(
                                Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage()))));
            } else {
                var name = String.valueOf(result.getMethodParameter().getParameterName());
                result.getResolvableErrors()
                        .forEach(e ->
                                errors.add(Map.of("field", name, "message", String.valueOf(e.getDefaultMessage()))));
            }
        }
        return invalid(ex, errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        var problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST, quote(ex.getValue()) + " is not a valid " + name + ".");
        problem.setTitle("Invalid parameter");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = "The request body could not be read as JSON.";
        for (Throwable t = ex; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                var field = jackson.getPath().stream()
                        .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                        .reduce("", (a, b) -> a.isEmpty() || b.startsWith("[") ? a + b : a + "." + b);
                detail = field + " has the wrong type or shape.";
                break;
            }
            var duplicated = t instanceof JacksonException jackson
                    ? StrictJsonInput.duplicatedKey(jackson)
                    : Optional.<String>empty();
            if (duplicated.isPresent()) {
                detail = quote(duplicated.get()) + " appears more than once; send each field once.";
                break;
            }
        }
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Unreadable request body");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** Every problem of the admin API passes here: its detail is cut to a bounded, control-character-free text. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getDetail() != null) {
            problem.setDetail(sanitise(problem.getDetail(), 1000));
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private ResponseEntity<Object> invalid(
            Exception ex, List<Map<String, String>> errors, HttpHeaders headers, WebRequest request) {
        var detail = errors.stream()
                .map(e -> e.get("field") + " " + e.get("message"))
                .reduce((a, b) -> a + "; " + b)
                .orElse("The request is invalid.");
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static String quote(Object value) {
        var text = String.valueOf(value);
        return "'" + sanitise(text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "…", MAX_QUOTED + 1)
                + "'" + (text.length() > MAX_QUOTED ? " (" + text.length() + " characters)" : "");
    }

    static String sanitise(String text, int max) {
        if (text == null) {
            return null;
        }
        var clean = text.replaceAll("[\\p{Cc}\\p{Cs}]", "?");
        return clean.length() <= max ? clean : clean.substring(0, max) + "…";
    }
}
