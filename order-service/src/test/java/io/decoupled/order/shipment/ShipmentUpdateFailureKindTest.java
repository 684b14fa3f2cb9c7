package io.decoupled.order.shipment;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;
import tools.jackson.core.exc.StreamReadException;

/** What is poison (set aside in rejected_shipment_events) and what is transient (retried in place within the budget). */
class ShipmentUpdateFailureKindTest {

    @Test
    void anUnreachableDatabaseIsTransientThoughSpringCallsItNonTransient() {
        assertThat(FailureKind.of(new CannotCreateTransactionException(
                        "no connection", new SQLTransientConnectionException("refused", "08001"))))
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new DataAccessResourceFailureException("down")))
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new RuntimeException(new SQLException("terminating connection", "57P01"))))
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void valuesTheDatabaseRefusesArePoison() {
        assertThat(FailureKind.of(
                        new DataIntegrityViolationException("dup", new SQLException("duplicate key", "23505"))))
                .isEqualTo(FailureKind.POISON);
        assertThat(FailureKind.of(new RuntimeException(new SQLException("invalid byte sequence", "22021"))))
                .isEqualTo(FailureKind.POISON);
        assertThat(FailureKind.of(new DataIntegrityViolationException("constraint")))
                .isEqualTo(FailureKind.POISON);
    }

    @Test
    void aBodyThatDoesNotParseOrLacksItsIdsIsPoison() {
        assertThat(FailureKind.of(new StreamReadException(null, "unexpected token")))
                .isEqualTo(FailureKind.POISON);
        assertThat(FailureKind.of(new IllegalArgumentException("eventId and orderId are required")))
                .isEqualTo(FailureKind.POISON);
    }

    @Test
    void anythingUnknownIsRetried() {
        assertThat(FailureKind.of(new IllegalStateException("carrier said no"))).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void theReasonIsShortAndHasNoControlCharacters() {
        var reason = FailureKind.reason(new IllegalArgumentException("bad \u0000 value " + "x".repeat(1000)));
        assertThat(reason).hasSizeLessThanOrEqualTo(501).doesNotContain("\u0000");
    }
}
