package io.decoupled.order.ordering;

import static io.decoupled.order.ordering.OrderStatus.CANCELLED;
import static io.decoupled.order.ordering.OrderStatus.DELIVERED;
import static io.decoupled.order.ordering.OrderStatus.PLACED;
import static io.decoupled.order.ordering.OrderStatus.SHIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The forward-only status rule that makes late and repeated shipment updates harmless. */
class OrderStatusTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "PLACED, SHIPPED, true",
        "PLACED, DELIVERED, true",
        "SHIPPED, DELIVERED, true",
        "SHIPPED, SHIPPED, false",
        "DELIVERED, SHIPPED, false",
        "DELIVERED, DELIVERED, false",
        "CANCELLED, SHIPPED, false",
        "CANCELLED, DELIVERED, false",
        "PLACED, CANCELLED, false",
        // A pending cancellation does not stop the parcel: its dispatch still moves the order on (docs/saga.md).
        "CANCELLING, SHIPPED, true",
        "CANCELLING, DELIVERED, true",
        "PLACED, CANCELLING, false",
        "SHIPPED, CANCELLING, false"
    })
    void onlyProgressIsAnAdvance(OrderStatus from, OrderStatus to, boolean advances) {
        assertThat(from.canAdvanceTo(to)).isEqualTo(advances);
    }

    @Test
    void cancellationIsNotAShipmentAdvance() {
        // Cancelling is the ordering feature's own transition, guarded separately: only PLACED orders may be cancelled.
        assertThat(PLACED.canAdvanceTo(CANCELLED)).isFalse();
        assertThat(SHIPPED.canAdvanceTo(DELIVERED)).isTrue();
        assertThat(DELIVERED.canAdvanceTo(CANCELLED)).isFalse();
    }
}
