package io.decoupled.order.ordering;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An Idempotency-Key sent again with a different request: 422, as the IETF Idempotency-Key draft advises. */
class IdempotencyKeyReusedException extends ErrorResponseException {
    IdempotencyKeyReusedException(String key, OrderId existing) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(key, existing), null);
    }

    private static ProblemDetail problem(String key, OrderId existing) {
        var problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "Idempotency-Key '" + (key.length() <= 40 ? key : key.substring(0, 40) + "…")
                        + "' was already used for a different request (order " + existing
                        + "). Use a new key for a new order, or resend the original request unchanged.");
        problem.setTitle("Idempotency-Key reused with a different request");
        problem.setProperty("orderId", existing.toString());
        return problem;
    }
}
