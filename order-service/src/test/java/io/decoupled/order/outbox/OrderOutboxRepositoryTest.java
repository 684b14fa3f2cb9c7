package io.decoupled.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.localaws.LocalPostgres;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox's claim queries on PostgreSQL itself (they rely on {@code FOR UPDATE SKIP LOCKED} and partial indexes),
 * with Flyway's schema and nothing else: no relay, no SNS, no web layer, so a broken claim fails in seconds.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class OrderOutboxRepositoryTest {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        LocalPostgres.shared()
                .springProperties("orders_outbox_slice")
                .forEach((key, value) -> registry.add(key, () -> value));
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactions;

    private OutboxRepository outbox;
    private JdbcClient jdbc;

    @BeforeEach
    void emptyOutbox() {
        jdbc = JdbcClient.create(dataSource);
        jdbc.sql("delete from outbox").update();
        outbox = new OutboxRepository(jdbc, JsonMapper.builder().build());
    }

    @Test
    void aClaimTakesPendingRowsOldestFirstUpToItsLimitAndNeverPublishedOrParkedOnes() {
        var ids = insert(6);
        var inTx = new TransactionTemplate(transactions);
        inTx.executeWithoutResult(s -> {
            var first = outbox.claim(2);
            outbox.markPublished(first, Instant.now());
            var third = outbox.claim(1).getFirst();
            outbox.recordRejection(third, "refused", 1, Duration.ZERO, Instant.now());
        });
        var claimed = inTx.execute(s -> outbox.claim(10));
        assertThat(claimed).extracting(PendingEvent::eventId).containsExactlyElementsOf(ids.subList(3, 6));
        assertThat(outbox.countPending()).isEqualTo(3);
        assertThat(outbox.countParked()).isEqualTo(1);
    }

    /** Whether the rejection recorded in its own transaction parked the event. */
    private static boolean rejected(TransactionTemplate inTx, TransactionCallback<Boolean> rejection) {
        return Boolean.TRUE.equals(inTx.execute(rejection));
    }

    @Test
    void rejectionsParkAnEventOnlyOnceItIsOlderThanThePatience() {
        insert(1);
        var inTx = new TransactionTemplate(transactions);
        // Past the attempts but within the patience (an SNS incident): counted, not parked.
        assertThat(rejected(
                        inTx,
                        s -> outbox.recordRejection(
                                outbox.claim(1).getFirst(), "InternalError", 1, Duration.ofHours(1), Instant.now())))
                .isFalse();
        assertThat(outbox.countParked()).isZero();
        var event = inTx.execute(s -> outbox.claim(1)).getFirst();
        assertThat(event.attempts()).isEqualTo(1);
        // The same event an hour later: parked.
        assertThat(rejected(
                        inTx,
                        s -> outbox.recordRejection(
                                outbox.claim(1).getFirst(),
                                "InternalError",
                                1,
                                Duration.ofHours(1),
                                event.createdAt().plus(Duration.ofHours(1)))))
                .isTrue();
        assertThat(outbox.countParked()).isEqualTo(1);
    }

    @Test
    void concurrentRelaysClaimDisjointRowsBecauseLockedRowsAreSkipped() throws Exception {
        var ids = insert(5);
        var firstHolds = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var first = CompletableFuture.supplyAsync(() -> new TransactionTemplate(transactions).execute(s -> {
            var rows = outbox.claim(3);
            firstHolds.countDown();
            await(release);
            return rows;
        }));
        assertThat(firstHolds.await(30, TimeUnit.SECONDS)).isTrue();
        // Without SKIP LOCKED the second claim would wait for the first; the lock timeout turns that wait into a
        // failure.
        var second = new TransactionTemplate(transactions).execute(s -> {
            jdbc.sql("set local lock_timeout = '5s'").update();
            return outbox.claim(10);
        });
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS))
                .extracting(PendingEvent::eventId)
                .containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(second).extracting(PendingEvent::eventId).containsExactlyElementsOf(ids.subList(3, 5));
    }

    @Test
    void aClaimWithinARangeTakesOnlyPendingRowsFromItsLowerBoundUpToButNotIncludingItsUpperOne() {
        var ids = insert(6);
        var rows =
                jdbc.sql("select id from outbox order by id").query(Long.class).list();
        var claimed = new TransactionTemplate(transactions).execute(s -> outbox.claim(10, rows.get(2), rows.get(4)));
        assertThat(claimed).extracting(PendingEvent::eventId).containsExactlyElementsOf(ids.subList(2, 4));
    }

    @Test
    void aClaimedRowCarriesTheAttributesItWasWrittenWithThroughJsonbAndBack() {
        var attributes = Map.of(
                "eventType", OutboxMessage.Attribute.string("OrderPlaced"),
                "total", OutboxMessage.Attribute.number(new BigDecimal("1234.50")),
                "country", OutboxMessage.Attribute.string("DE"),
                "note \"quoted\"", OutboxMessage.Attribute.string("back\\slash, tab\t, é, 😀, {\"json\": [1]}"),
                "traceparent",
                        OutboxMessage.Attribute.string("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        var id = UUID.randomUUID();
        outbox.insert(new OutboxMessage(id, "order-1", "OrderPlaced", "{}", attributes));
        var claimed = new TransactionTemplate(transactions).execute(s -> outbox.claim(1));
        assertThat(claimed).singleElement().satisfies(event -> {
            assertThat(event.eventId()).isEqualTo(id);
            assertThat(event.attributes()).isEqualTo(attributes);
        });
    }

    @Test
    void aRowWhoseAttributesCannotBeReadIsParkedWithTheReasonAndTheRowsAfterItAreClaimed() {
        var before = insert(1);
        for (var attributes : List.of(
                "{\"eventType\": {\"dataType\": \"Binary\", \"value\": \"x\"}}",
                "{\"eventType\": {\"value\": \"OrderPlaced\"}}",
                "{\"eventType\": \"OrderPlaced\"}",
                "[1, 2]")) {
            jdbc.sql("""
                            insert into outbox (event_id, aggregate_id, event_type, payload, attributes, created_at)
                            values (?, 'hand-edited', 'OrderPlaced', '{}', cast(? as jsonb), clock_timestamp())""").params(UUID.randomUUID(), attributes).update();
        }
        var after = insert(1);

        var claimed = new TransactionTemplate(transactions).execute(s -> outbox.claim(10));

        assertThat(claimed).extracting(PendingEvent::eventId).containsExactly(before.getFirst(), after.getFirst());
        assertThat(outbox.countParked()).isEqualTo(4);
        assertThat(jdbc.sql("select last_error from outbox where aggregate_id = 'hand-edited'")
                        .query(String.class)
                        .list())
                .hasSize(4)
                .allSatisfy(error -> assertThat(error).startsWith("Unreadable attributes "));
    }

    @Test
    void aRejectionIsCountedAndTheRowParkedOnlyAtTheLastAllowedAttempt() {
        insert(1);
        var inTx = new TransactionTemplate(transactions);
        boolean parkedFirst = inTx.execute(s ->
                outbox.recordRejection(outbox.claim(1).getFirst(), "bad\u0000entry", 2, Duration.ZERO, Instant.now()));
        boolean parkedSecond = inTx.execute(
                s -> outbox.recordRejection(outbox.claim(1).getFirst(), "bad entry", 2, Duration.ZERO, Instant.now()));
        assertThat(parkedFirst).isFalse();
        assertThat(parkedSecond).isTrue();
        assertThat(jdbc.sql("select attempts from outbox").query(Integer.class).single())
                .isEqualTo(2);
        assertThat(outbox.countPending()).isZero();
        assertThat(outbox.countParked()).isEqualTo(1);
    }

    private List<UUID> insert(int count) {
        var ids = new ArrayList<UUID>();
        for (int i = 0; i < count; i++) {
            var id = UUID.randomUUID();
            outbox.insert(new OutboxMessage(
                    id,
                    "order-" + i,
                    "OrderPlaced",
                    "{}",
                    Map.of("eventType", OutboxMessage.Attribute.string("OrderPlaced"))));
            ids.add(id);
        }
        return ids;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
