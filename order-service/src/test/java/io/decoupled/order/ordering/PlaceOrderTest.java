package io.decoupled.order.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What makes two requests "the same" for an Idempotency-Key, and how the total is computed. */
class PlaceOrderTest {

    private static PlaceOrder order(String price, int quantity, String session) {
        return new PlaceOrder(
                "c-1",
                session,
                Fulfillment.SHIP,
                "DE",
                "EUR",
                List.of(new OrderLine("A", quantity, new BigDecimal(price))));
    }

    @Test
    void theSameOrderWrittenWithOtherTrailingZerosIsTheSameRequest() {
        assertThat(order("42.0", 1, null).canonicalForm())
                .isEqualTo(order("42.00", 1, null).canonicalForm());
    }

    @Test
    void anyChangeOfMeaningIsADifferentRequest() {
        var original = order("42.00", 1, "s-1").canonicalForm();
        assertThat(order("42.01", 1, "s-1").canonicalForm()).isNotEqualTo(original);
        assertThat(order("42.00", 2, "s-1").canonicalForm()).isNotEqualTo(original);
        assertThat(order("42.00", 1, "s-2").canonicalForm()).isNotEqualTo(original);
        assertThat(order("42.00", 1, null).canonicalForm()).isNotEqualTo(original);
    }

    @Test
    void theTotalIsTheSumOfTheLinesInCents() {
        var order = new PlaceOrder(
                "c-1",
                null,
                Fulfillment.SHIP,
                "DE",
                "EUR",
                List.of(new OrderLine("A", 2, new BigDecimal("10.25")), new OrderLine("B", 3, new BigDecimal("5"))));
        assertThat(order.total()).isEqualTo(new BigDecimal("35.50"));
    }

    @Test
    void aMissingCurrencyTakesTheDefault() {
        var order = new PlaceOrder(
                "c-1", null, Fulfillment.DIGITAL, "DE", null, List.of(new OrderLine("A", 1, BigDecimal.ONE)));
        assertThat(order.withDefaultCurrency("EUR").currency()).isEqualTo("EUR");
        assertThat(order("1.00", 1, null).withDefaultCurrency("USD").currency()).isEqualTo("EUR");
    }
}
