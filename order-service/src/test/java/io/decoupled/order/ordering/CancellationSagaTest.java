package io.decoupled.order.ordering;

import static io.decoupled.order.ordering.OrderStatus.CANCELLED;
import static io.decoupled.order.ordering.OrderStatus.CANCELLING;
import static io.decoupled.order.ordering.OrderStatus.DELIVERED;
import static io.decoupled.order.ordering.OrderStatus.PLACED;
import static io.decoupled.order.ordering.OrderStatus.SHIPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.decoupled.order.ordering.CancellationSaga.Decision;
import io.decoupled.order.ordering.CancellationSaga.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The cancellation saga's state machine: every status answers every message, so duplicates and reordering are harmless. */
class CancellationSagaTest {

    @Test
    void aPlacedShipOrderAsksShippingAndADigitalOneCancelsAtOnce() {
        assertThat(CancellationSaga.requested(PLACED, Fulfillment.SHIP)).isEqualTo(Decision.move(CANCELLING));
        assertThat(CancellationSaga.requested(PLACED, Fulfillment.DIGITAL)).isEqualTo(Decision.move(CANCELLED));
    }

    @Test
    void aRepeatedRequestChangesNothingAndAShippedOrderIsTooLate() {
        assertThat(CancellationSaga.requested(CANCELLING, Fulfillment.SHIP).kind())
                .isEqualTo(Kind.REPEAT);
        assertThat(CancellationSaga.requested(CANCELLED, Fulfillment.DIGITAL).kind())
                .isEqualTo(Kind.REPEAT);
        assertThat(CancellationSaga.requested(SHIPPED, Fulfillment.SHIP).kind()).isEqualTo(Kind.TOO_LATE);
        assertThat(CancellationSaga.requested(DELIVERED, Fulfillment.SHIP).kind())
                .isEqualTo(Kind.TOO_LATE);
    }

    @Test
    void shippingsCancellationEndsAPendingOrderAndIsARepeatOnceCancelled() {
        assertThat(CancellationSaga.shipmentCancelled(CANCELLING)).isEqualTo(Decision.move(CANCELLED));
        assertThat(CancellationSaga.shipmentCancelled(CANCELLED).kind()).isEqualTo(Kind.REPEAT);
    }

    @ParameterizedTest
    @EnumSource(
            value = OrderStatus.class,
            names = {"PLACED", "SHIPPED", "DELIVERED"})
    void aCancellationNobodyWaitsForIsUnexpected(OrderStatus current) {
        assertThat(CancellationSaga.shipmentCancelled(current).kind()).isEqualTo(Kind.UNEXPECTED);
    }

    @Test
    void aRefusalReturnsAPendingOrderToWhereTheShipmentIs() {
        assertThat(CancellationSaga.cancellationRefused(CANCELLING, SHIPPED)).isEqualTo(Decision.move(SHIPPED));
        assertThat(CancellationSaga.cancellationRefused(CANCELLING, DELIVERED)).isEqualTo(Decision.move(DELIVERED));
    }

    @Test
    void aRefusalAfterTheDispatchItNamesIsNotedAndNeverMovesTheOrderBack() {
        assertThat(CancellationSaga.cancellationRefused(SHIPPED, SHIPPED)).isEqualTo(Decision.note(SHIPPED));
        assertThat(CancellationSaga.cancellationRefused(DELIVERED, SHIPPED)).isEqualTo(Decision.note(DELIVERED));
        assertThat(CancellationSaga.cancellationRefused(SHIPPED, DELIVERED)).isEqualTo(Decision.move(DELIVERED));
    }

    @Test
    void aRefusalOfAnOrderThatIsNotWaitingIsUnexpected() {
        assertThat(CancellationSaga.cancellationRefused(PLACED, SHIPPED).kind()).isEqualTo(Kind.UNEXPECTED);
        assertThat(CancellationSaga.cancellationRefused(CANCELLED, SHIPPED).kind())
                .isEqualTo(Kind.UNEXPECTED);
    }

    @Test
    void aRefusalMustNameAShippedState() {
        assertThatThrownBy(() -> CancellationSaga.cancellationRefused(CANCELLING, PLACED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(OrderStatus.class)
    void everyStatusAnswersEveryMessage(OrderStatus current) {
        for (var fulfillment : Fulfillment.values()) {
            assertThat(CancellationSaga.requested(current, fulfillment)).isNotNull();
        }
        assertThat(CancellationSaga.shipmentCancelled(current)).isNotNull();
        assertThat(CancellationSaga.cancellationRefused(current, SHIPPED)).isNotNull();
    }
}
