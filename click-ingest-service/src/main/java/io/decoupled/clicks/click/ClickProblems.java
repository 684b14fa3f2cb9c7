package io.decoupled.clicks.click;

import io.decoupled.clicks.producer.BufferFullException;
import io.decoupled.clicks.producer.ProducerClosedException;
import io.decoupled.clicks.producer.RecordDeliveryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * RFC 9457 problems for everything a caller can get wrong (400 with a detail naming each bad field), for a
 * full buffer (429 with Retry-After, the back-pressure signal), for a body over the size limit (413) and for a
 * stream that refused the clicks (503). A detail never quotes more than a short, sanitised prefix of the input
 * and names at most {@value #MAX_ERRORS_IN_DETAIL} fields (the {@code errors} array has all of them), so that a
 * hostile body cannot make the answer large or smuggle control characters into a client's logs.
 */
@RestControllerAdvice
class ClickProblems extends ResponseEntityExceptionHandler {
    static final int MAX_ERRORS_IN_DETAIL = 10;
    static final int MAX_QUOTED_CHARS = 120;

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var errors = new ArrayList<Map<String, String>>();
        for (var result : ex.getParameterValidationResults()) {
            if (result instanceof ParameterErrors parameterErrors) {
                var index = parameterErrors.getContainerIndex();
                var prefix = index == null ? "" : "[" + index + "]";
                for (FieldError fieldError : parameterErrors.getFieldErrors()) {
                    errors.add(Map.of("field", prefix + "." + fieldError.getField(), "message", message(fieldError)));
                }
                if (!parameterErrors.hasFieldErrors()) {
                    parameterErrors
                            .getGlobalErrors()
                            .forEach(e -> errors.add(Map.of("field", prefix, "message", message(e))));
                }
            } else {
                var name = result.getMethodParameter().getParameterName();
                var index = result.getContainerIndex();
                var field = index == null ? "body" : "[" + index + "]";
                result.getResolvableErrors()
                        .forEach(e -> errors.add(Map.of(
                                "field", "clicks".equals(name) ? field : String.valueOf(name), "message", message(e))));
            }
        }
        return invalid(errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var tooLarge = tooLarge(ex);
        if (tooLarge != null) {
            var problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.CONTENT_TOO_LARGE,
                    "The body is larger than " + tooLarge.maxBytes() + " bytes; send fewer clicks per request");
            problem.setTitle("Click payload too large");
            problem.setProperty("maxBytes", tooLarge.maxBytes());
            return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
        }
        var located = located(ex);
        if (located != null) {
            // A value of the wrong type or form (a timestamp that is not ISO-8601): named like a validation error.
            var field = field(located);
            var message = quote(located.getOriginalMessage());
            var problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.BAD_REQUEST, "Invalid clicks: " + field + " " + message);
            problem.setTitle("Invalid click payload");
            problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
            return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
        }
        var reason = ex.getMostSpecificCause() instanceof JacksonException jackson
                ? jackson.getOriginalMessage()
                : "the body is missing or not JSON";
        var problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST, "The body must be a click object or an array of clicks: " + quote(reason));
        problem.setTitle("Unreadable click payload");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * The outermost exception in the chain that knows where in the body it failed, if any: the cause at the bottom
     * (a DateTimeParseException) knows the reason but not the field.
     */
    private static JacksonException located(Throwable ex) {
        for (var t = ex; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JacksonException jackson
                    && jackson.getPath().stream().anyMatch(r -> r.getPropertyName() != null)) {
                return jackson;
            }
        }
        return null;
    }

    /** The JSON path as the validation errors write it: {@code [0].timestamp}. */
    private static String field(JacksonException located) {
        var field = new StringBuilder();
        for (var reference : located.getPath()) {
            if (reference.getPropertyName() != null) {
                field.append('.').append(quote(reference.getPropertyName()));
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.charAt(0) == '.' ? field.substring(1) : field.toString();
    }

    private static RequestBodyLimit.BodyTooLargeException tooLarge(Throwable ex) {
        for (var cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyLimit.BodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }

    /** A parser message may echo the input: keep a short prefix, without control characters. */
    static String quote(String text) {
        if (text == null) {
            return "";
        }
        var clean = new StringBuilder(Math.min(text.length(), MAX_QUOTED_CHARS + 1));
        for (int i = 0; i < text.length() && clean.length() < MAX_QUOTED_CHARS; i++) {
            char c = text.charAt(i);
            clean.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        return clean.length() < text.length() ? clean + "…" : clean.toString();
    }

    @ExceptionHandler(RepeatedClickId.class)
    ResponseEntity<Object> repeatedClickId(RepeatedClickId ex, WebRequest request) {
        return invalid(List.of(Map.of("field", ex.field(), "message", ex.reason())), new HttpHeaders(), request);
    }

    @ExceptionHandler(BufferFullException.class)
    ResponseEntity<ProblemDetail> bufferFull(BufferFullException ex) {
        var problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.TOO_MANY_REQUESTS,
                ex.getMessage() + "; nothing of this request was accepted, send it again later");
        problem.setTitle("Click buffer full");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, seconds(ex.retryAfter()))
                .body(problem);
    }

    @ExceptionHandler(ProducerClosedException.class)
    ResponseEntity<ProblemDetail> shuttingDown(ProducerClosedException ex) {
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        problem.setTitle("Shutting down");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem);
    }

    @ExceptionHandler(CompletionException.class)
    ResponseEntity<ProblemDetail> notWritten(CompletionException ex) {
        if (!(ex.getCause() instanceof RecordDeliveryException delivery)) {
            throw ex;
        }
        var problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "The clicks were accepted but the stream refused at least one after every retry: "
                        + delivery.getMessage());
        problem.setTitle("Clicks not written");
        problem.setProperty("errorCode", delivery.errorCode());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem);
    }

    private ResponseEntity<Object> invalid(List<Map<String, String>> errors, HttpHeaders headers, WebRequest request) {
        var named = errors.stream()
                .limit(MAX_ERRORS_IN_DETAIL)
                .map(e -> e.get("field") + " " + e.get("message"))
                .toList();
        var detail = errors.isEmpty()
                ? "The clicks are not valid"
                : "Invalid clicks: " + String.join("; ", named)
                        + (errors.size() > named.size()
                                ? "; and " + (errors.size() - named.size()) + " more (see errors)"
                                : "");
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid click payload");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(
                new IllegalArgumentException(detail), problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() == null
                ? new DefaultMessageSourceResolvable(error.getCodes()).toString()
                : error.getDefaultMessage();
    }

    private static String seconds(Duration duration) {
        return Long.toString(Math.max(1, (duration.toMillis() + 999) / 1000));
    }
}
