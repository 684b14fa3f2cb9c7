package io.decoupled.analytics.failures;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Pattern: dead-letter table. A poison record is written to {@code rejected_record} with its reason and its raw
 * bytes, counted in {@code analytics.rejected} (tagged by source), and never blocks what comes after it. Setting
 * aside must not fail itself, so the reason is sanitised (no NUL, bounded) and the raw bytes go into a
 * {@code bytea}, which holds anything; a second delivery of the same record changes nothing
 * ({@code on conflict do nothing}). A transient failure of this insert is thrown to the caller, which retries.
 */
@Repository
public class RejectedRecords {
    static final int MAX_REASON_CHARS = 1000;
    /** The largest Kinesis record; SQS messages are smaller. */
    static final int MAX_DATA_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(RejectedRecords.class);

    private final JdbcTemplate jdbc;
    private final MeterRegistry registry;

    RejectedRecords(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
    }

    /** Stores the rejection in its own transaction; idempotent. */
    public void setAside(Rejection r) {
        var data = r.data() == null || r.data().length <= MAX_DATA_BYTES
                ? r.data()
                : Arrays.copyOf(r.data(), MAX_DATA_BYTES);
        int inserted = jdbc.update(
                """
                insert into rejected_record (source, shard_id, sequence_number, partition_key, data, reason)
                values (?, ?, ?, ?, ?, ?) on conflict (shard_id, sequence_number) do nothing""",
                Failures.sanitise(r.source(), 200),
                Failures.sanitise(r.location(), 300),
                Failures.sanitise(r.recordId(), 300),
                r.partitionKey() == null ? null : Failures.sanitise(r.partitionKey(), 300),
                data,
                Failures.sanitise(r.reason(), MAX_REASON_CHARS));
        if (inserted == 1) {
            Counter.builder("analytics.rejected")
                    .description("Records set aside because they can never be stored")
                    .tag("source", r.source())
                    .register(registry)
                    .increment();
            log.warn(
                    "Set aside {} record {} of {}: {}",
                    r.source(),
                    r.recordId(),
                    r.location(),
                    Failures.sanitise(r.reason(), 300));
        }
    }

    /** Records set aside from one source. */
    public long count(String source) {
        return jdbc.queryForObject("select count(*) from rejected_record where source = ?", Long.class, source);
    }
}
