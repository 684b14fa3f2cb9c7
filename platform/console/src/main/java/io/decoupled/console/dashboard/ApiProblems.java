package io.decoupled.console.dashboard;

import io.decoupled.websecurity.StrictJsonInput;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * RFC 9457 problem+json for every bad request, with a detail that names the offending fields: Spring's
 * default ("Invalid request content.") tells the caller something is wrong but not what.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + " " + f.getDefaultMessage() + " (was " + f.getRejectedValue() + ")")
                .sorted()
                .collect(Collectors.joining("; "));
        e.getBody().setDetail(detail);
        return handleExceptionInternal(e, e.getBody(), headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream()
                        .map(err -> r.getMethodParameter().getParameterName() + " " + err.getDefaultMessage() + " (was "
                                + r.getArgument() + ")"))
                .sorted()
                .collect(Collectors.joining("; "));
        e.getBody().setDetail(detail);
        return handleExceptionInternal(e, e.getBody(), headers, status, request);
    }

    /**
     * A body value of the wrong type ("running": "yes" or 1, a fraction for latencyMillis), named by its field; a key
     * sent twice, named too (the parser refuses it before any field is set, so it has no path).
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            var duplicated = t instanceof JacksonException jackson
                    ? StrictJsonInput.duplicatedKey(jackson)
                    : Optional.<String>empty();
            if (duplicated.isPresent()) {
                var body = ProblemDetail.forStatusAndDetail(
                        HttpStatus.BAD_REQUEST,
                        shorten(duplicated.get()) + " appears more than once; send each field once");
                return handleExceptionInternal(e, body, headers, HttpStatus.BAD_REQUEST, request);
            }
            if (t instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                var field = jackson.getPath().stream()
                        .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining("."));
                var body =
                        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + " has the wrong type or form");
                return handleExceptionInternal(e, body, headers, HttpStatus.BAD_REQUEST, request);
            }
        }
        return super.handleHttpMessageNotReadable(e, headers, status, request);
    }

    /** A path or query parameter of the wrong type ("orderId must be a UUID"), quoted by a short prefix only. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        String type = e.getRequiredType() == null
                ? "another type"
                : "a " + e.getRequiredType().getSimpleName();
        String value = String.valueOf(e.getValue());
        var body = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                name + " must be " + type + " (was " + (value.length() > 40 ? value.substring(0, 40) + "…" : value)
                        + ")");
        return handleExceptionInternal(e, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * A query string Tomcat cannot decode ({@code ?count=%ff}: not UTF-8) or with too many parameters: the caller's
     * 4xx, not Spring Boot's default error body after a stack trace in the log. Nothing of the query is quoted.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> handleUndecodableParameters(InvalidParameterException e, WebRequest request) {
        var status = HttpStatus.resolve(e.getErrorCode());
        if (status == null || !status.is4xxClientError()) {
            status = HttpStatus.BAD_REQUEST;
        }
        var body = ProblemDetail.forStatusAndDetail(
                status,
                "the query string cannot be read: percent-encode its parameters as UTF-8 and send each one once");
        return handleExceptionInternal(e, body, new HttpHeaders(), status, request);
    }

    /** At most a short, printable prefix of what the client sent. */
    private static String shorten(String value) {
        var printable = value.codePoints()
                .filter(c -> c >= 0x20 && c < 0x7f)
                .limit(40)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() < value.length() ? printable + "…" : printable;
    }
}
