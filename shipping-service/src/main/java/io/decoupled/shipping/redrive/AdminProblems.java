package io.decoupled.shipping.redrive;

import jakarta.validation.ConstraintViolationException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * RFC 9457 answers for the admin API: bad parameters are 400 with the violated rule, an unreachable or
 * failing SQS is 503 (the operator retries later), never a stack trace.
 */
@RestControllerAdvice(assignableTypes = DeadLetterController.class)
class AdminProblems {
    private static final Logger log = LoggerFactory.getLogger(AdminProblems.class);

    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail invalid(ConstraintViolationException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler({SdkException.class, CompletionException.class})
    ProblemDetail sqsUnavailable(RuntimeException e) {
        log.warn("SQS call of an admin request failed", e);
        var cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "SQS did not complete the request: " + cause.getMessage());
    }
}
