package io.decoupled.order.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * Bad input becomes an RFC 9457 problem+json 4xx whose detail says what to fix, never a 5xx or a stack trace.
 * Spring's base handler already maps framework exceptions to problems; this adds useful details and field lists.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        var errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
        var detail = ex.getBindingResult().getFieldErrors().stream()
                .map(ProblemDetailsAdvice::describe)
                .collect(Collectors.joining("; "));
        var problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", detail.isEmpty() ? "The request is invalid." : detail);
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * Method validation covers the request body too once any parameter carries a constraint, so body field
     * errors arrive here as {@link ParameterErrors}; they are reported by field path like any other.
     */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        var errors = new ArrayList<Map<String, String>>();
        var details = new ArrayList<String>();
        for (var result : ex.getParameterValidationResults()) {
            if (result instanceof ParameterErrors bean) {
                for (var error : bean.getFieldErrors()) {
                    errors.add(Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())));
                    details.add(describe(error));
                }
            } else {
                var name = parameterName(result.getMethodParameter());
                for (var error : result.getResolvableErrors()) {
                    errors.add(Map.of("parameter", name, "message", String.valueOf(error.getDefaultMessage())));
                    details.add(name + " " + error.getDefaultMessage());
                }
            }
        }
        var problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", details.isEmpty() ? "The request is invalid." : String.join("; ", details));
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        var problem = problem(HttpStatus.BAD_REQUEST, "Unreadable request body", unreadable(ex));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status,
                                                        WebRequest request) {
        var name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        // Optional<Status> parameters report Optional as the required type; the enum inside is what the caller needs.
        var expected = ex instanceof MethodArgumentTypeMismatchException m ? m.getParameter().nestedIfOptional().getNestedParameterType()
                : ex.getRequiredType();
        var detail = "'" + ex.getValue() + "' is not a valid " + name
                + (expected != null && expected.isEnum() ? "; expected one of " + List.of(expected.getEnumConstants()) : "") + ".";
        return handleExceptionInternal(ex, problem(HttpStatus.BAD_REQUEST, "Invalid parameter", detail), headers, HttpStatus.BAD_REQUEST, request);
    }

    private static String describe(FieldError error) {
        var rejected = error.getRejectedValue();
        return error.getField() + " " + error.getDefaultMessage() + (rejected == null ? "" : " (was '" + rejected + "')");
    }

    private static String parameterName(MethodParameter parameter) {
        var header = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        return String.valueOf(parameter.getParameterName());
    }

    /** Says where and why the body could not be read, without class names or parser internals. */
    private static String unreadable(HttpMessageNotReadableException ex) {
        var cause = ex.getMostSpecificCause();
        if (cause instanceof InvalidFormatException invalid) {
            var field = path(invalid);
            var target = invalid.getTargetType();
            if (target != null && target.isEnum()) {
                return field + ": '" + invalid.getValue() + "' is not one of " + List.of(target.getEnumConstants()) + ".";
            }
            return field + ": '" + invalid.getValue() + "' is not a valid " + (target == null ? "value" : target.getSimpleName()) + ".";
        }
        if (cause instanceof StreamReadException read) {
            var location = read.getLocation();
            return "Malformed JSON" + (location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr()) + ".";
        }
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            return path(jackson) + " has the wrong type.";
        }
        return ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
                ? "The request body is missing; send the order as JSON."
                : "The request body could not be read as JSON.";
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        var problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
