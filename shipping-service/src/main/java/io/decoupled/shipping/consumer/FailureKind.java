package io.decoupled.shipping.consumer;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import tools.jackson.core.JacksonException;

/**
 * Failure classification of the consumer. Poison: the message can never be processed however often it is retried
 * (the handler said so, it does not parse, or the database refuses its values: SQLState class 22 or 23, a
 * non-transient data access failure); it goes to the DLQ at once, without waiting out backoffs. Transient: anything
 * else, retried within the time budget. The transient checks come first because an unreachable database surfaces
 * as a {@link NonTransientDataAccessException} subclass too ({@link DataAccessResourceFailureException}).
 */
enum FailureKind {
    POISON,
    TRANSIENT;

    static FailureKind of(Throwable failure) {
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonMessageException) {
                return POISON;
            }
            if (t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException) {
                return TRANSIENT;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().length() >= 2) {
                var sqlClass = sql.getSQLState().substring(0, 2);
                if (sqlClass.equals("22") || sqlClass.equals("23")) {
                    return POISON;
                }
                if (sqlClass.equals("08") || sqlClass.equals("40") || sqlClass.equals("53") || sqlClass.equals("57")) {
                    return TRANSIENT;
                }
            }
        }
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JacksonException || t instanceof NonTransientDataAccessException) {
                return POISON;
            }
        }
        return TRANSIENT;
    }

    /** The failure as a short reason for logs and metrics: no control characters, bounded. */
    static String reason(Throwable failure) {
        var text = failure instanceof PoisonMessageException
                ? failure.getMessage()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        var clean = String.valueOf(text).replaceAll("[\\p{Cc}\\p{Cs}]", "?");
        return clean.length() <= 300 ? clean : clean.substring(0, 300) + "…";
    }
}
