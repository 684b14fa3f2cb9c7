package io.decoupled.clicks.click;

import io.decoupled.clicks.producer.BufferFullException;
import io.decoupled.clicks.producer.ProducerClosedException;
import io.decoupled.clicks.producer.RecordDeliveryException;
import io.decoupled.websecurity.StrictJsonInput;
import java.time.Duration;
import java.time.Instant;
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
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * RFC 9457 problems for everything a caller can get wrong (400 with a detail naming each bad field), for a
 * full buffer (429 with Retry-After, the back-pressure signal), for a body over the size limit (413) and for a
 * stream that refused the clicks (503). A detail never quotes more than a short, sanitised prefix of the input
 * and names at most {@value #MAX_ERRORS_IN_DETAIL} fields (the {@code errors} array has all of them), so that a
 * hostile body cannot make the answer large or smuggle control characters into a client's logs. A body that cannot
 * be read is described in the client's terms (which field, what it must be, where the JSON breaks), never with the
 * parser's message, which names Java classes and Jackson's tokens and features.
 */
@RestControllerAdvice
class ClickProblems extends ResponseEntityExceptionHandler {
    static final int MAX_ERRORS_IN_DETAIL = 10;
    static final int MAX_QUOTED_CHARS = 120;
    /** The field an error of the whole body names, as for an empty batch. */
    private static final String BODY = "body";
    /** What a timestamp must be (docs/contracts.md); the parser's own message names java.time classes. */
    private static final String INSTANT = "must be an ISO-8601 instant such as 2026-01-01T00:00:00Z";

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
        var unreadable = unreadable(ex);
        var errors = List.of(Map.of("field", unreadable.field(), "message", unreadable.message()));
        if (!BODY.equals(unreadable.field())) {
            // A value of the wrong type or form (a timestamp that is not ISO-8601): named like a validation error.
            return invalid(errors, headers, request);
        }
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The body " + unreadable.message());
        problem.setTitle("Unreadable click payload");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** What is wrong with a body that could not be read, as a field path (or {@value #BODY}) and a message. */
    private record Unreadable(String field, String message) {}

    /**
     * Says in the client's terms what is wrong and where: never the parser's message, which names Java classes,
     * Jackson's tokens and features and quotes the input.
     */
    private static Unreadable unreadable(HttpMessageNotReadableException ex) {
        var jackson = jackson(ex);
        if (jackson == null) {
            return new Unreadable(
                    BODY,
                    ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
                            ? "is empty or null; send a click object or an array of clicks"
                            : "could not be read as JSON");
        }
        var field = field(jackson);
        var duplicated = StrictJsonInput.duplicatedKey(jackson);
        if (duplicated.isPresent()) {
            var key = quote(duplicated.get());
            return new Unreadable(
                    field.isEmpty() ? key : field + "." + key, "appears more than once; send each field once");
        }
        if (jackson instanceof StreamConstraintsException) {
            return new Unreadable(BODY, "exceeds the parser's limits (nesting depth, number or text length)");
        }
        if (jackson instanceof StreamReadException read) {
            // A string with a raw control character fails inside its field; a missing bracket only in the body.
            return new Unreadable(named(jackson) ? field : BODY, "is not valid JSON" + at(read.getLocation()));
        }
        var target = jackson instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (Instant.class.equals(target)) {
            return new Unreadable(field.isEmpty() ? BODY : field, INSTANT);
        }
        if (String.class.equals(target)) {
            return new Unreadable(field.isEmpty() ? BODY : field, "must be a string");
        }
        if (field.isEmpty() || (ClickRequest.class.equals(target) && theWholeBody(jackson))) {
            return new Unreadable(BODY, "must be a click object or an array of clicks");
        }
        if (ClickRequest.class.equals(target)) {
            return new Unreadable(field, "must be a click object");
        }
        return new Unreadable(field, "has the wrong type");
    }

    /** The outermost Jackson exception in the chain: the one that knows the path. */
    private static JacksonException jackson(Throwable ex) {
        for (var t = ex; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JacksonException jackson) {
                return jackson;
            }
        }
        return null;
    }

    /** Whether the failure is inside a click's field, not between the values of the body. */
    private static boolean named(JacksonException ex) {
        return ex.getPath().stream().anyMatch(r -> r.getPropertyName() != null);
    }

    /**
     * Whether the value that is not a click is the body itself ({@code 5}, {@code "x"}): a single value is read as a
     * batch of one, so its path is {@code [0]} like the first element of an array; only the parser, still at the top
     * level, tells them apart.
     */
    private static boolean theWholeBody(JacksonException ex) {
        return ex.processor() instanceof JsonParser parser
                && parser.streamReadContext() != null
                && parser.streamReadContext().inRoot();
    }

    private static String at(TokenStreamLocation location) {
        return location == null || location.getLineNr() < 1 || location.getColumnNr() < 1
                ? ""
                : " (at line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The JSON path as the validation errors write it ({@code [0].timestamp}); empty for the body itself. */
    private static String field(JacksonException located) {
        var field = new StringBuilder();
        for (var reference : located.getPath()) {
            if (reference.getPropertyName() != null) {
                field.append('.').append(quote(reference.getPropertyName()));
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return !field.isEmpty() && field.charAt(0) == '.' ? field.substring(1) : field.toString();
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
                "The clicks were accepted but the stream refused at least one of them as such: "
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
