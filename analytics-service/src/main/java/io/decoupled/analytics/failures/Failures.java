package io.decoupled.analytics.failures;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.DateTimeException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.transaction.CannotCreateTransactionException;
import tools.jackson.core.JacksonException;

/**
 * Pattern: classify before you retry. A failure is either <b>poison</b> (this record can never be stored, however
 * often it is tried: a parse error, a PostgreSQL data exception or constraint violation, SQLState class 22 or 23,
 * or a value past one of PostgreSQL's own limits, SQLState 54000) or <b>transient</b> (the database is unreachable,
 * overloaded, restarting, or a statement timed out). Retrying poison blocks everything behind it forever; setting a
 * transient failure aside loses a good record. So poison is set aside at once and transient failures are retried,
 * and a failure that fits neither (a bug such as a missing column, SQLState class 42) counts as transient: it is
 * not the record's fault, and its records wait for the fix instead of being discarded.
 */
public final class Failures {
    public enum Kind {
        POISON,
        TRANSIENT
    }

    /** SQLState 54000, program_limit_exceeded: raised for one value too large for an index or a type. */
    private static final String PROGRAM_LIMIT_EXCEEDED = "54000";

    private Failures() {}

    /**
     * The database's own verdict first: the SQLState of the first SQLException in the cause chain that has one
     * (Spring wraps it in types that can mislead, such as {@code UncategorizedSQLException}, a "non-transient" one,
     * around an admin shutdown). Without one, the exception types decide, outermost first.
     */
    public static Kind classify(Throwable failure) {
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().length() >= 2) {
                var sqlClass = sql.getSQLState().substring(0, 2);
                // 22: data exception (value out of range, invalid encoding, NUL in text); 23: integrity constraint
                // violation; 54000: a value past a limit of PostgreSQL itself, such as a page too long for the
                // (minute, page) index ("index row size ... exceeds btree maximum 2704"): retried, it would stop
                // its shard for good.
                // Anything else is not the record's fault: 08 connection, 40 rollback (serialization, deadlock),
                // 53 resources, 57 operator intervention (restart), 58 system, 42 a bug in our SQL, and the rest of
                // class 54 (too many columns or arguments: the statement's shape, which bisection shrinks anyway).
                return sqlClass.equals("22")
                                || sqlClass.equals("23")
                                || sql.getSQLState().equals(PROGRAM_LIMIT_EXCEEDED)
                        ? Kind.POISON
                        : Kind.TRANSIENT;
            }
        }
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            var kind = decisive(t);
            if (kind != null) {
                return kind;
            }
        }
        return Kind.TRANSIENT;
    }

    private static Kind decisive(Throwable t) {
        if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
            return Kind.TRANSIENT;
        }
        if (t instanceof CannotCreateTransactionException
                || t instanceof TransientDataAccessException
                || t instanceof RecoverableDataAccessException
                || t instanceof DataAccessResourceFailureException) {
            // DataAccessResourceFailureException (cannot get a connection) is a NonTransientDataAccessException in
            // Spring's hierarchy, but for a consumer it means "the database is away": it must come before the next
            // line.
            return Kind.TRANSIENT;
        }
        if (t instanceof DataIntegrityViolationException || t instanceof NonTransientDataAccessException) {
            return Kind.POISON;
        }
        if (t instanceof JacksonException
                || t instanceof MessageConversionException
                || t instanceof DateTimeException
                || t instanceof ArithmeticException
                || t instanceof IllegalArgumentException) {
            // Thrown by parsing or by checking a record's content (requireComplete): the record is the problem.
            return Kind.POISON;
        }
        if (t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof TimeoutException) {
            return Kind.TRANSIENT;
        }
        return null;
    }

    /** A reason that can always be stored and shown: no control characters or unpaired surrogates, at most {@code max} chars. */
    public static String sanitise(String text, int max) {
        if (text == null) {
            return "";
        }
        var out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (out.length() + 2 > max) {
                    break;
                }
                out.append(c).append(text.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        return out.length() < text.length() ? out.append('…').toString() : out.toString();
    }

    /**
     * What an operator needs to see why a record was set aside, sanitised: the database's error with its SQLState
     * when there is one ({@code PSQLException [22021]: invalid byte sequence ...}), else the most specific cause.
     */
    public static String reason(Throwable failure) {
        Throwable chosen = null;
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                chosen = t;
                break;
            }
            chosen = t;
        }
        var state =
                chosen instanceof SQLException sql && sql.getSQLState() != null ? " [" + sql.getSQLState() + "]" : "";
        var message = chosen.getMessage() == null ? "" : ": " + chosen.getMessage();
        return sanitise(chosen.getClass().getSimpleName() + state + message, RejectedRecords.MAX_REASON_CHARS);
    }
}
