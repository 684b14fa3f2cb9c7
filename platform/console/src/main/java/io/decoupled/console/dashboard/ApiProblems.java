package io.decoupled.console.dashboard;

import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * RFC 9457 problem+json for every bad request, with a detail that names the offending fields: Spring's
 * default ("Invalid request content.") tells the caller something is wrong but not what.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + " " + f.getDefaultMessage() + " (was " + f.getRejectedValue() + ")")
                .sorted().collect(Collectors.joining("; "));
        e.getBody().setDetail(detail);
        return handleExceptionInternal(e, e.getBody(), headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        String detail = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> r.getMethodParameter().getParameterName() + " "
                        + err.getDefaultMessage() + " (was " + r.getArgument() + ")"))
                .sorted().collect(Collectors.joining("; "));
        e.getBody().setDetail(detail);
        return handleExceptionInternal(e, e.getBody(), headers, status, request);
    }
}
