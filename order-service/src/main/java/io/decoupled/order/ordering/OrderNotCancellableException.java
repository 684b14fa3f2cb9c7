package io.decoupled.order.ordering;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Cancel of an order that has already shipped: a 409, since the request conflicts with the order's state. */
class OrderNotCancellableException extends ErrorResponseException {
    OrderNotCancellableException(OrderId id, OrderStatus status) {
        super(HttpStatus.CONFLICT, problem(id, status), null);
    }

    private static ProblemDetail problem(OrderId id, OrderStatus status) {
        var problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONFLICT,
                "Order " + id + " is " + status + " and can no longer be cancelled; only PLACED orders can.");
        problem.setTitle("Order cannot be cancelled");
        // Not "status": that member is the HTTP status in problem+json, and a second one made the JSON ambiguous.
        problem.setProperty("orderStatus", status.name());
        return problem;
    }
}
