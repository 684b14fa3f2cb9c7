package io.decoupled.order.ordering;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places, cancels and reads orders. Each change writes the order and its integration event in one local
 * transaction (the event goes to the outbox table), so there is never an order without its event or an event
 * without its order: no dual write.
 */
@Service
class OrderService {
    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository orders;
    private final IdempotencyKeys idempotencyKeys;
    private final OrderEvents events;
    private final OrderingProperties properties;
    private final MeterRegistry meters;
    private final Clock clock;

    OrderService(
            OrderRepository orders,
            IdempotencyKeys idempotencyKeys,
            OrderEvents events,
            OrderingProperties properties,
            MeterRegistry meters,
            Clock clock) {
        this.orders = orders;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
    }

    /** The order a POST produced, and whether it was created now or by an earlier request with the same key. */
    record Placement(OrderView order, boolean replayed) {}

    @Transactional
    Placement place(PlaceOrder request, Optional<String> idempotencyKey) {
        var command = request.withDefaultCurrency(properties.defaultCurrency());
        var now = clock.instant();
        var order = Order.place(command, now);
        if (idempotencyKey.isPresent()) {
            var key = idempotencyKey.get();
            var hash = fingerprint(command);
            if (!idempotencyKeys.claim(key, hash, order.id(), now)) {
                var claim = idempotencyKeys
                        .find(key)
                        .orElseThrow(() -> new IllegalStateException("idempotency key vanished: " + key));
                if (!claim.requestHash().equals(hash)) {
                    throw new IdempotencyKeyReusedException(key, claim.orderId());
                }
                return new Placement(view(claim.orderId()), true);
            }
        }
        orders.insert(order);
        events.placed(order, now);
        // One line per order: with the trace id in front, the start of the order's trace in the logs.
        log.info("Order {} placed ({}, total {})", order.id(), command.fulfillment(), order.total());
        return new Placement(OrderView.of(order, orders.history(order.id())), false);
    }

    /**
     * Cancels a PLACED order. A DIGITAL order is CANCELLED at once; a SHIP order becomes CANCELLING and its
     * OrderCancelled is the request shipping-service answers (the cancellation saga, docs/saga.md). Cancelling a
     * CANCELLING or CANCELLED order again is a no-op that publishes nothing; a shipped order cannot be cancelled.
     */
    @Transactional
    OrderView cancel(OrderId id) {
        var status = orders.lockStatus(id).orElseThrow(() -> new OrderNotFoundException(id));
        var fulfillment = orders.fulfillment(id).orElseThrow();
        var decision = CancellationSaga.requested(status, fulfillment);
        switch (decision.kind()) {
            case REPEAT -> {
                return view(id);
            }
            case TOO_LATE -> throw new OrderNotCancellableException(id, status);
            case MOVE -> {
                var now = clock.instant();
                var note = decision.target() == OrderStatus.CANCELLING
                        ? "cancellation requested; waiting for shipping-service's answer"
                        : "cancelled at once: nothing to ship";
                orders.updateStatus(id, decision.target(), null, now, note);
                var order = orders.find(id).orElseThrow();
                events.cancelled(order, now);
                meters.counter(
                                "order.cancellations",
                                "outcome",
                                decision.target() == OrderStatus.CANCELLING ? "requested" : "cancelled")
                        .increment();
                log.info("Order {} cancellation requested: {}", id, decision.target());
                return OrderView.of(order, orders.history(id));
            }
            default -> throw new IllegalStateException("a cancel request never decides " + decision.kind());
        }
    }

    @Transactional(readOnly = true)
    OrderView view(OrderId id) {
        var order = orders.find(id).orElseThrow(() -> new OrderNotFoundException(id));
        return OrderView.of(order, orders.history(id));
    }

    @Transactional(readOnly = true)
    OrderPage page(Optional<OrderStatus> status, int page, int size) {
        int bounded = Math.min(size, properties.maxPageSize());
        var rows = orders.page(status, page, bounded);
        var items = rows.stream().limit(bounded).map(OrderPage.Summary::of).toList();
        return new OrderPage(items, page, bounded, rows.size() > bounded);
    }

    @Transactional(readOnly = true)
    OrderCounts counts() {
        return OrderCounts.of(orders.countByStatus());
    }

    private static String fingerprint(PlaceOrder command) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest(command.canonicalForm().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
