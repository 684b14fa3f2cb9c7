package io.decoupled.analytics.web;

import io.decoupled.analytics.failures.Failures;
import java.util.ArrayList;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every refusal is an RFC 9457 problem+json whose detail names the parameter and quotes at most a short, printable
 * prefix of what was sent: Spring's own details quote the whole rejected value, so a 10,000-character query
 * parameter would come straight back. Anything unexpected is a 500 problem without a stack trace, logged here.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);
    static final int MAX_QUOTED = 60;
    private static final int MAX_DETAIL = 400;

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        var expected = ex.getRequiredType() == null
                ? "another type"
                : ex.getRequiredType().getSimpleName();
        var problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                "Parameter '" + quote(String.valueOf(name)) + "' must be " + article(expected) + "; got '"
                        + quote(String.valueOf(ex.getValue())) + "'.");
        problem.setTitle("Invalid parameter");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** A parameter outside its bounds: Spring's own detail is just "Validation failure", so name each one and its rule. */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var errors = new ArrayList<Map<String, String>>();
        for (var result : ex.getParameterValidationResults()) {
            for (var error : result.getResolvableErrors()) {
                var name = error instanceof FieldError field
                        ? field.getField()
                        : String.valueOf(result.getMethodParameter().getParameterName());
                errors.add(Map.of("parameter", name, "message", String.valueOf(error.getDefaultMessage())));
            }
        }
        var detail = errors.stream()
                .map(e -> "Parameter '" + e.get("parameter") + "' " + e.get("message") + ".")
                .collect(Collectors.joining(" "));
        var problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST, detail.isEmpty() ? "The request is invalid." : detail);
        problem.setTitle("Invalid parameter");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getDetail() != null) {
            problem.setDetail(Failures.sanitise(problem.getDetail(), MAX_DETAIL));
        }
        return super.handleExceptionInternal(ex, body, headers, status, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error answering a request", e);
        var problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred; it has been logged.");
        return ResponseEntity.internalServerError().body(problem);
    }

    /** At most {@link #MAX_QUOTED} printable characters of a client's input, marked when cut. */
    static String quote(String input) {
        return Failures.sanitise(input, MAX_QUOTED);
    }

    private static String article(String type) {
        return switch (type) {
            case "int", "Integer", "long", "Long" -> "a whole number";
            default -> "a valid " + type;
        };
    }
}
