package io.decoupled.order.ordering;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The orders REST API. Errors are RFC 9457 problem+json (see the web package and the exceptions here).
 *
 * <p>Every mapping produces JSON, declared: a request whose Accept header excludes it is refused with a 406 before
 * the handler runs. Undeclared, the order was placed (or cancelled) first and the 406 came when the answer was
 * written, so a refused request had its effect.
 */
@RestController
@RequestMapping(path = "/orders", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "orders", description = "Place, cancel and read orders")
class OrderController {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final OrderService service;

    OrderController(OrderService service) {
        this.service = service;
    }

    @PostMapping
    @Operation(
            summary = "Place an order",
            description =
                    "Writes the order and its OrderPlaced event in one transaction. "
                            + "A retry with the same Idempotency-Key returns the original order; the same key with another body is a 422.")
    @ApiResponse(responseCode = "201", description = "placed, or replayed for a known Idempotency-Key")
    @ApiResponse(responseCode = "400", description = "invalid request (problem+json)")
    @ApiResponse(responseCode = "422", description = "Idempotency-Key reused with a different request (problem+json)")
    ResponseEntity<OrderView> place(
            @Parameter(description = "a client-chosen unique key; retries with it never create a second order")
                    @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
                    @Pattern(regexp = "[\\x21-\\x7E]{1,255}")
                    String idempotencyKey,
            @Valid @RequestBody PlaceOrder request) {
        var placement = service.place(request, Optional.ofNullable(idempotencyKey));
        var location = ServletUriComponentsBuilder.fromCurrentRequestUri()
                .path("/{id}")
                .buildAndExpand(placement.order().id())
                .toUri();
        return ResponseEntity.created(location)
                .header(REPLAYED, Boolean.toString(placement.replayed()))
                .body(placement.order());
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read one order with its status history")
    @ApiResponse(responseCode = "404", description = "unknown id (problem+json)")
    OrderView get(@PathVariable OrderId id) {
        return service.view(id);
    }

    @GetMapping
    @Operation(summary = "Page through orders, newest first, optionally of one status")
    OrderPage list(
            @RequestParam Optional<OrderStatus> status,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(1000) int size) {
        return service.page(status, page, size);
    }

    @GetMapping("/counts")
    @Operation(
            summary = "Count orders by status, exactly",
            description = "One grouped count over all orders: every status "
                    + "appears, with 0 when no order has it, and the total. Dashboards use it instead of paging.")
    OrderCounts counts() {
        return service.counts();
    }

    @PostMapping("/{id}/cancel")
    @Operation(
            summary = "Cancel a PLACED order",
            description =
                    "Publishes OrderCancelled; cancelling twice is harmless. A DIGITAL "
                            + "order is CANCELLED at once (200); a SHIP order becomes CANCELLING (202) until shipping-service answers: CANCELLED "
                            + "if nothing had been dispatched, otherwise back to its shipping status with the refusal's reason in the history.")
    @ApiResponse(responseCode = "200", description = "cancelled (or already cancelled)")
    @ApiResponse(
            responseCode = "202",
            description = "cancellation requested; the order is CANCELLING until shipping answers")
    @ApiResponse(responseCode = "404", description = "unknown id (problem+json)")
    @ApiResponse(responseCode = "409", description = "the order has already shipped (problem+json)")
    ResponseEntity<OrderView> cancel(@PathVariable OrderId id) {
        var order = service.cancel(id);
        return order.status() == OrderStatus.CANCELLING
                ? ResponseEntity.accepted().body(order)
                : ResponseEntity.ok(order);
    }
}
