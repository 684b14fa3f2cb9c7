package io.decoupled.order.ordering;

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
    private final Clock clock;

    OrderService(OrderRepository orders, IdempotencyKeys idempotencyKeys, OrderEvents events, OrderingProperties properties, Clock clock) {
        this.orders = orders;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /** The order a POST produced, and whether it was created now or by an earlier request with the same key. */
    record Placement(OrderView order, boolean replayed) {
    }

    @Transactional
    Placement place(PlaceOrder request, Optional<String> idempotencyKey) {
        var command = request.withDefaultCurrency(properties.defaultCurrency());
        var now = clock.instant();
        var order = Order.place(command, now);
        if (idempotencyKey.isPresent()) {
            var key = idempotencyKey.get();
            var hash = fingerprint(command);
            if (!idempotencyKeys.claim(key, hash, order.id(), now)) {
                var claim = idempotencyKeys.find(key).orElseThrow(() -> new IllegalStateException("idempotency key vanished: " + key));
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

    /** Cancels a PLACED order; cancelling a cancelled order again is a no-op that publishes nothing. */
    @Transactional
    OrderView cancel(OrderId id) {
        var status = orders.lockStatus(id).orElseThrow(() -> new OrderNotFoundException(id));
        if (status == OrderStatus.CANCELLED) {
            return view(id);
        }
        if (status != OrderStatus.PLACED) {
            throw new OrderNotCancellableException(id, status);
        }
        var now = clock.instant();
        orders.updateStatus(id, OrderStatus.CANCELLED, null, now);
        var order = orders.find(id).orElseThrow();
        events.cancelled(order, now);
        return OrderView.of(order, orders.history(id));
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

    private static String fingerprint(PlaceOrder command) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(command.canonicalForm().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
