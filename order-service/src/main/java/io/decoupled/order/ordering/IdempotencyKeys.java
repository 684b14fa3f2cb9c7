package io.decoupled.order.ordering;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The Idempotency-Key table: which key created which order, and a hash of the request that came with it. */
@Repository
class IdempotencyKeys {
    private final JdbcClient jdbc;

    IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Claim(String requestHash, OrderId orderId) {}

    /**
     * Claims the key for a new order. A concurrent request with the same key blocks here on the primary key until
     * the first transaction ends, then finds the key taken: exactly one of them creates the order.
     */
    boolean claim(String key, String requestHash, OrderId orderId, Instant now) {
        return jdbc.sql("""
                        insert into idempotency_keys (idempotency_key, request_hash, order_id, created_at) values (?, ?, ?, ?)
                        on conflict (idempotency_key) do nothing""")
                        .params(key, requestHash, orderId.value(), Timestamp.from(now))
                        .update()
                == 1;
    }

    Optional<Claim> find(String key) {
        return jdbc.sql("select request_hash, order_id from idempotency_keys where idempotency_key = ?")
                .param(key)
                .query((rs, n) -> new Claim(rs.getString(1), new OrderId(rs.getObject(2, UUID.class))))
                .optional();
    }

    int purgeOlderThan(Instant cutoff) {
        return jdbc.sql("delete from idempotency_keys where created_at < ?")
                .param(Timestamp.from(cutoff))
                .update();
    }
}
