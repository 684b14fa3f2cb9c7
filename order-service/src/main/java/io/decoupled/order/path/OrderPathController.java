package io.decoupled.order.path;

import io.decoupled.order.ordering.OrderId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** GET /orders/{id}/path: the hops one order took through this service, for the console's "one order's path". */
@RestController
@Tag(name = "orders")
class OrderPathController {
    private final OrderPathRepository paths;

    OrderPathController(OrderPathRepository paths) {
        this.paths = paths;
    }

    @GetMapping("/orders/{id}/path")
    @Operation(
            summary = "One order's hops with their times",
            description =
                    "HTTP accepted, outbox committed, published to SNS, "
                            + "each shipment update applied and each status, oldest first, with the trace id the request started.")
    @ApiResponse(responseCode = "404", description = "unknown id (problem+json)")
    OrderPath path(@PathVariable OrderId id) {
        return paths.find(id.value()).orElseThrow(() -> {
            var problem =
                    ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no order with id " + id + ".");
            problem.setTitle("Order not found");
            return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
        });
    }
}
