package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;
import software.amazon.awssdk.core.exception.SdkClientException;
import tools.jackson.core.exc.StreamReadException;

/** What is poison (never retried, to the DLQ at once) and what is transient (retried within the budget). */
class ConsumerFailureKindTest {

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
    void aBodyThatDoesNotParseOrTheHandlersVerdictIsPoison() {
        assertThat(FailureKind.of(new StreamReadException(null, "unexpected token")))
                .isEqualTo(FailureKind.POISON);
        assertThat(FailureKind.of(new IllegalStateException(new PoisonMessageException("bad shape"))))
                .isEqualTo(FailureKind.POISON);
    }

    @Test
    void anythingUnknownIsRetried() {
        assertThat(FailureKind.of(new IllegalStateException("carrier said no"))).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void sqsRefusingTheDeliveryConfirmationIsRetriedSoTheDispatchRollsBackAndRunsAgain() {
        // ShipmentService sends the delayed confirmation inside the dispatch transaction and joins the future.
        var refused = new CompletionException(
                SdkClientException.create("Unable to execute HTTP request: Connection refused"));
        assertThat(FailureKind.of(refused)).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void theReasonIsShortAndHasNoControlCharacters() {
        var reason = FailureKind.reason(new PoisonMessageException("bad \u0000 value " + "x".repeat(1000)));
        assertThat(reason).hasSizeLessThanOrEqualTo(301).doesNotContain("\u0000");
    }
}
