package io.decoupled.order.ordering;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** GET or cancel of an id this service does not know: a 404 problem. */
class OrderNotFoundException extends ErrorResponseException {
    OrderNotFoundException(OrderId id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(OrderId id) {
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no order with id " + id + ".");
        problem.setTitle("Order not found");
        return problem;
    }
}
