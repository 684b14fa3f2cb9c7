package io.decoupled.analytics.failures;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.analytics.failures.Failures.Kind;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.transaction.CannotCreateTransactionException;

class FailuresTest {

    @Test
    void dataExceptionsAndConstraintViolationsArePoison() {
        assertThat(Failures.classify(
                        new UncategorizedSQLException("insert", "insert", new SQLException("0x00", "22021"))))
                .isEqualTo(Kind.POISON);
        assertThat(Failures.classify(
                        new UncategorizedSQLException("insert", "insert", new SQLException("out of range", "22008"))))
                .isEqualTo(Kind.POISON);
        assertThat(Failures.classify(new DataIntegrityViolationException("dup", new SQLException("dup", "23505"))))
                .isEqualTo(Kind.POISON);
        assertThat(Failures.classify(new RuntimeException("listener", new MessageConversionException("not json"))))
                .isEqualTo(Kind.POISON);
        assertThat(Failures.classify(new IllegalArgumentException("order event lacks eventId")))
                .isEqualTo(Kind.POISON);
    }

    /**
     * A page of 900 CJK characters (2.7 KB of UTF-8) passes click-ingest's 2048-character limit and is refused by
     * PostgreSQL's btree on (minute, page) with SQLState 54000, on every try; as transient it would stop its shard.
     */
    @Test
    void aValueTooLargeForAnIndexIsPoison() {
        assertThat(Failures.classify(new UncategorizedSQLException(
                        "insert",
                        "insert into page_minute",
                        new SQLException(
                                "index row size 2728 exceeds btree version 4 maximum 2704 for index \"page_minute_pkey\"",
                                "54000"))))
                .isEqualTo(Kind.POISON);
    }

    @Test
    void anUnreachableOrBusyDatabaseIsTransientThoughSpringCallsSomeOfItNonTransient() {
        // CannotGetJdbcConnectionException is a NonTransientDataAccessException in Spring's hierarchy.
        assertThat(Failures.classify(new CannotGetJdbcConnectionException(
                        "no connection", new SQLTransientConnectionException("Connection is not available", "08001"))))
                .isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new CannotGetJdbcConnectionException("no connection")))
                .isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new CannotCreateTransactionException("no tx")))
                .isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new QueryTimeoutException("slow"))).isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(
                        new UncategorizedSQLException("x", "x", new SQLException("terminating connection", "57P01"))))
                .isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void aBugIsNotTheRecordsFaultSoItsRecordsWait() {
        assertThat(Failures.classify(
                        new BadSqlGrammarException("x", "select nope", new SQLException("no column", "42703"))))
                .isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new NullPointerException())).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void theDefaultListenerBackoffOutlastsATwoMinuteOutageBeforeTheLastReceive() {
        new ApplicationContextRunner().withUserConfiguration(Defaults.class).run(context -> {
            var retry = context.getBean(ListenerRetryProperties.class);
            // Receives 1..4 fail; the 5th is the last before the DLQ. Half jitter: each wait is at least half.
            double shortest = 0;
            for (int receive = 1; receive <= 4; receive++) {
                var visibility = Math.min(
                        retry.initialVisibility().toSeconds() * Math.pow(retry.multiplier(), receive - 1),
                        retry.maxVisibility().toSeconds());
                shortest += visibility / 2;
            }
            assertThat(shortest)
                    .as("seconds from the first to the last receive, shortest case")
                    .isGreaterThan(2 * 120);
        });
    }

    @EnableConfigurationProperties(ListenerRetryProperties.class)
    static class Defaults {}

    @Test
    void aReasonCanAlwaysBeStored() {
        assertThat(Failures.sanitise("a\u0000b\u0007c\ud800d\ud83d\ude00", 100)).isEqualTo("a?b?c?d\ud83d\ude00");
        assertThat(Failures.sanitise("x".repeat(5000), 1000)).hasSize(1001).endsWith("…");
        assertThat(Failures.reason(new RuntimeException("outer", new SQLException("bad \u0000 value", "22021"))))
                .isEqualTo("SQLException [22021]: bad ? value");
        assertThat(Failures.reason(new RuntimeException("outer", new IllegalStateException("inner"))))
                .isEqualTo("IllegalStateException: inner");
    }
}
