package io.decoupled.order.shipment;

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
 * Failure classification of a consumer: a poison message can never be stored however often it is retried (it
 * would block its FIFO group until the DLQ took it), a transient failure says nothing about the message and must
 * be retried without burning its receive count. The transient checks come first: an unreachable database surfaces
 * as a {@link NonTransientDataAccessException} subclass too ({@link DataAccessResourceFailureException}).
 */
enum FailureKind {
    POISON,
    TRANSIENT;

    static FailureKind of(Throwable failure) {
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException) {
                return TRANSIENT;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                var sqlClass =
                        sql.getSQLState().length() >= 2 ? sql.getSQLState().substring(0, 2) : "";
                // 22 data exception, 23 integrity constraint violation: this row can never be written.
                if (sqlClass.equals("22") || sqlClass.equals("23")) {
                    return POISON;
                }
                // 08 connection, 40 rollback (serialization, deadlock), 53 resources, 57 operator intervention.
                if (sqlClass.equals("08") || sqlClass.equals("40") || sqlClass.equals("53") || sqlClass.equals("57")) {
                    return TRANSIENT;
                }
            }
        }
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JacksonException
                    || t instanceof NonTransientDataAccessException
                    || t instanceof IllegalArgumentException
                    || t instanceof NullPointerException) {
                return POISON;
            }
        }
        // Unknown: retried within the time budget, then left to the queue's redrive policy.
        return TRANSIENT;
    }

    /** The failure as a short, storable reason: its class and message, no control characters, at most 500 characters. */
    static String reason(Throwable failure) {
        var root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        var text = root.getClass().getSimpleName() + ": " + root.getMessage();
        return sanitise(text, 500);
    }

    /** No control characters (NUL cannot be stored in PostgreSQL text) and no unpaired surrogates, bounded. */
    static String sanitise(String text, int max) {
        if (text == null) {
            return null;
        }
        var clean = text.replaceAll("[\\p{Cc}\\p{Cs}]", "?");
        return clean.length() <= max ? clean : clean.substring(0, max) + "…";
    }
}
