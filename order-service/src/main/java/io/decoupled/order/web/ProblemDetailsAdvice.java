package io.decoupled.order.web;

import io.decoupled.websecurity.StrictJsonInput;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * Bad input becomes an RFC 9457 problem+json 4xx whose detail says what to fix, never a 5xx or a stack trace.
 * Spring's base handler already maps framework exceptions to problems; this adds useful details and field lists.
 * A detail quotes at most a short, escaped prefix of what the client sent ({@link Quote}), so an error response can
 * neither echo a megabyte back nor carry control characters into a client's logs.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    /** Longest detail any problem carries; the field list says the rest. */
    private static final int MAX_DETAIL = 1000;

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
        var detail = ex.getBindingResult().getFieldErrors().stream()
                .map(ProblemDetailsAdvice::describe)
                .collect(Collectors.joining("; "));
        var problem = problem(
                HttpStatus.BAD_REQUEST, "Invalid request", detail.isEmpty() ? "The request is invalid." : detail);
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * Method validation covers the request body too once any parameter carries a constraint, so body field
     * errors arrive here as {@link ParameterErrors}; they are reported by field path like any other.
     */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
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
        var problem = problem(
                HttpStatus.BAD_REQUEST,
                "Invalid request",
                details.isEmpty() ? "The request is invalid." : String.join("; ", details));
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof RequestBodyLimit.TooLarge tooLarge) {
                return handleTooLarge(tooLarge, request);
            }
        }
        var problem = problem(HttpStatus.BAD_REQUEST, "Unreadable request body", unreadable(ex));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        // Optional<Status> parameters report Optional as the required type; the enum inside is what the caller needs.
        var expected = ex instanceof MethodArgumentTypeMismatchException m
                ? m.getParameter().nestedIfOptional().getNestedParameterType()
                : ex.getRequiredType();
        var detail = Quote.of(ex.getValue()) + " is not a valid " + name
                + (expected != null && expected.isEnum()
                        ? "; expected one of " + List.of(expected.getEnumConstants())
                        : "")
                + ".";
        return handleExceptionInternal(
                ex,
                problem(HttpStatus.BAD_REQUEST, "Invalid parameter", detail),
                headers,
                HttpStatus.BAD_REQUEST,
                request);
    }

    /**
     * The last line of defence: a value the database refused (a constraint or a data exception that validation did
     * not foresee) came from the request, so it is the client's 400, not a 500. The database's message is logged,
     * never returned: it can quote the whole value.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> handleDataIntegrityViolation(DataIntegrityViolationException ex, WebRequest request) {
        log.warn(
                "The database refused a value of a request that passed validation: {}",
                Quote.prefix(ex.getMostSpecificCause().getMessage(), 300));
        var problem = problem(
                HttpStatus.BAD_REQUEST,
                "Value cannot be stored",
                "A value of the request cannot be stored (too long, out of range or not allowed); check the fields against the API description.");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /** A body over the limit, found while it was read (no Content-Length, or one that lied). */
    @ExceptionHandler(RequestBodyLimit.TooLarge.class)
    ResponseEntity<Object> handleTooLarge(RequestBodyLimit.TooLarge ex, WebRequest request) {
        return handleExceptionInternal(
                ex, RequestBodyLimit.problem(ex.limit()), new HttpHeaders(), HttpStatus.CONTENT_TOO_LARGE, request);
    }

    /**
     * The database is unreachable: the client may retry. Nothing was stored, except perhaps when the commit itself
     * failed ({@link TransactionSystemException}: the connection dropped during commit or rollback), where the outcome
     * is unknown to this service too; a retry with the same Idempotency-Key then answers with the stored order or
     * stores it once.
     */
    @ExceptionHandler({
        CannotCreateTransactionException.class,
        TransactionSystemException.class,
        TransientDataAccessException.class,
        DataAccessResourceFailureException.class
    })
    ResponseEntity<Object> handleUnavailable(Exception ex, WebRequest request) {
        log.warn("Request failed because the database is unavailable: {}", ex.toString());
        var problem = problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Temporarily unavailable",
                "The order store is unavailable; retry later.");
        var headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    /** Anything else is our fault: a problem+json 500 without internals, and the stack trace in the log. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) throws Exception {
        if (ex instanceof ErrorResponse) {
            throw ex; // handled by the base class' handler
        }
        log.error("Unexpected failure of a request", ex);
        var problem = problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error",
                "The request failed unexpectedly; it has been logged.");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    /** Every problem passes here: its detail is cut to a bounded, control-character-free text. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getDetail() != null) {
            problem.setDetail(Quote.prefix(problem.getDetail(), MAX_DETAIL));
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static String describe(FieldError error) {
        var rejected = error.getRejectedValue();
        return error.getField() + " " + error.getDefaultMessage()
                + (rejected == null || rejected instanceof Collection<?> ? "" : " (was " + Quote.of(rejected) + ")");
    }

    private static String parameterName(MethodParameter parameter) {
        var header = parameter.getParameterAnnotation(RequestHeader.class);
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
                return field + ": " + Quote.of(invalid.getValue()) + " is not one of "
                        + List.of(target.getEnumConstants()) + ".";
            }
            return field + ": " + Quote.of(invalid.getValue()) + " is not a valid "
                    + (target == null ? "value" : target.getSimpleName()) + ".";
        }
        var located = located(ex);
        if (cause instanceof InputCoercionException) {
            // A number too large for its field (a quantity of 1e12): name the field if the mapper knows it.
            return (located == null ? "A number" : path(located)) + " is out of range.";
        }
        var duplicated = cause instanceof JacksonException jackson
                ? StrictJsonInput.duplicatedKey(jackson)
                : Optional.<String>empty();
        if (duplicated.isPresent()) {
            return Quote.of(duplicated.get()) + " appears more than once; send each field once.";
        }
        if (cause instanceof StreamConstraintsException) {
            return "The request body exceeds the parser's limits (nesting depth, number or text length).";
        }
        if (cause instanceof StreamReadException read) {
            var location = read.getLocation();
            return "Malformed JSON"
                    + (location == null
                            ? ""
                            : " at line " + location.getLineNr() + ", column " + location.getColumnNr())
                    + ".";
        }
        if (located != null) {
            return path(located) + " has the wrong type.";
        }
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            return path(jackson) + " has the wrong type.";
        }
        return ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
                ? "The request body is missing; send the order as JSON."
                : "The request body could not be read as JSON.";
    }

    /** The outermost exception in the chain that knows the JSON path of the failure, if any. */
    private static JacksonException located(Throwable ex) {
        for (var t = ex; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                return jackson;
            }
        }
        return null;
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        var problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
