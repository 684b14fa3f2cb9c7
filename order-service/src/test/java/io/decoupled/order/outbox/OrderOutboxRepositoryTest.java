package io.decoupled.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.decoupled.localaws.LocalPostgres;
import io.decoupled.order.outbox.OutboxRepository.Position;
import java.math.BigDecimal;
import java.sql.Timestamp;
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
import org.awaitility.Awaitility;
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
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox's queries on PostgreSQL itself (commit order by transaction ids and the snapshot's horizon, the lease, the
 * position, {@code FOR UPDATE SKIP LOCKED} for rows set aside), with Flyway's schema and nothing else: no relay, no SNS,
 * no web layer, so a broken query fails in seconds.
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

    /** Before every row a test writes: the rows of earlier tests are deleted, not published. */
    private static final Position START = new Position(0, 0);

    @Test
    void rowsAreReadAfterThePositionInCommitOrderAndOnlyOnceEveryTransactionBelowThemHasEnded() throws Exception {
        var first = insert(2);
        var open = new CountDownLatch(1);
        var commit = new CountDownLatch(1);
        var late = new ArrayList<UUID>();
        // A transaction that writes before the next one and commits after it: its row comes first in commit order's
        // terms (a lower transaction id), so nothing of the next transaction may be read before it ends.
        var slow = CompletableFuture.runAsync(() -> new TransactionTemplate(transactions).executeWithoutResult(s -> {
            late.addAll(insert(1));
            open.countDown();
            await(commit);
        }));
        assertThat(open.await(30, TimeUnit.SECONDS)).isTrue();
        var after = insert(2);

        assertThat(ids(awaitRows(START, 2))).containsExactlyElementsOf(first);

        commit.countDown();
        slow.get(30, TimeUnit.SECONDS);
        var window = awaitRows(START, 5);
        assertThat(ids(window))
                .containsExactly(first.get(0), first.get(1), late.getFirst(), after.get(0), after.get(1));
        // The rows after a window's end are the rest, and a limit cuts a window short.
        assertThat(ids(outbox.readAfter(window.entries().get(1).at(), 2)))
                .containsExactly(late.getFirst(), after.get(0));
        assertThat(outbox.readAfter(window.end(), 10).isEmpty()).isTrue();
    }

    @Test
    void commitOrderComparesTransactionIdsAsNumbersNotAsText() {
        var ids = insert(2);
        // Transaction ids across a power of ten: as text, "100" would come before "99". (An output column named tx
        // once made ORDER BY sort by the text; crossing from 999 to 1000 sent events out twice.)
        jdbc.sql("update outbox set tx = '100' where event_id = ?")
                .param(ids.get(0))
                .update();
        jdbc.sql("update outbox set tx = '99' where event_id = ?")
                .param(ids.get(1))
                .update();

        var window = awaitRows(START, 2);

        assertThat(ids(window)).containsExactly(ids.get(1), ids.get(0));
        assertThat(window.end().tx()).isEqualTo(100);
        assertThat(outbox.readAfter(window.end(), 10).isEmpty()).isTrue();
    }

    @Test
    void aTransactionThatRolledBackLeavesNothingToReadAndHoldsUpNothingAfterItEnds() throws Exception {
        var open = new CountDownLatch(1);
        var rollBack = new CountDownLatch(1);
        var aborted = CompletableFuture.runAsync(() -> new TransactionTemplate(transactions).executeWithoutResult(s -> {
            insert(1);
            open.countDown();
            await(rollBack);
            s.setRollbackOnly();
        }));
        assertThat(open.await(30, TimeUnit.SECONDS)).isTrue();
        var after = insert(1);
        assertThat(outbox.readAfter(START, 10).isEmpty()).isTrue();

        rollBack.countDown();
        aborted.get(30, TimeUnit.SECONDS);
        assertThat(ids(awaitRows(START, 1))).containsExactlyElementsOf(after);
    }

    @Test
    void oneRelayHoldsTheLeaseUntilItGivesItUpOrLetsItRunOut() {
        var a = "relay-a-" + UUID.randomUUID();
        var b = "relay-b-" + UUID.randomUUID();
        var c = "relay-c-" + UUID.randomUUID();
        takeOver(a, Duration.ofMinutes(1));
        try {
            assertThat(outbox.lease(b, Duration.ofMinutes(1))).isEmpty();
            assertThat(outbox.lease(a, Duration.ofMinutes(1)))
                    .as("renewed by its holder")
                    .isPresent();

            outbox.release(a);
            assertThat(outbox.lease(b, Duration.ZERO)).as("given up").isPresent();
            assertThat(outbox.lease(c, Duration.ofMinutes(1))).as("run out").isPresent();
            assertThat(outbox.lease(a, Duration.ofMinutes(1))).isEmpty();
        } finally {
            outbox.release(a);
            outbox.release(b);
            outbox.release(c);
        }
    }

    @Test
    void thePositionMovesOnlyForTheLeaseHolderAndOnlyFromWhereItIsAndPublishesTheRowsItPasses() {
        var ids = insert(3);
        var a = "relay-a-" + UUID.randomUUID();
        var from = takeOver(a, Duration.ofMinutes(1));
        try {
            var window = awaitRows(START, 3);
            var second = window.entries().get(1).at();
            var at = Instant.parse("2026-11-28T12:00:00Z");

            assertThat(outbox.advance("someone-else", from, second, at, Duration.ofMinutes(1)))
                    .isFalse();
            assertThat(outbox.advance(a, from, second, at, Duration.ofMinutes(1)))
                    .isTrue();
            assertThat(outbox.advance(a, from, window.end(), at, Duration.ofMinutes(1)))
                    .as("from a position it is no longer at")
                    .isFalse();

            assertThat(states(ids)).containsExactly("PUBLISHED", "PUBLISHED", "PENDING");
            assertThat(jdbc.sql("select published_at from outbox_status where event_id = ?")
                            .param(ids.getFirst())
                            .query(Timestamp.class)
                            .single()
                            .toInstant())
                    .isEqualTo(at);
            assertThat(ids(outbox.readAfter(second, 10))).containsExactly(ids.get(2));
            assertThat(outbox.countPending()).isEqualTo(1);
        } finally {
            outbox.release(a);
        }
    }

    @Test
    void aPositionFromAnotherDatabasesTransactionIdsIsRefusedAndNothingIsRelayed() {
        var saved = jdbc.sql("select tx::text from outbox_position")
                .query(String.class)
                .single();
        // As after a restore from a dump into a new cluster: the position's transaction id is one the database has
        // not reached.
        jdbc.sql("update outbox_position set tx = '4000000000000'").update();
        try {
            assertThatThrownBy(() -> outbox.lease("relay-" + UUID.randomUUID(), Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("restored or copied into another cluster");
        } finally {
            jdbc.sql("update outbox_position set tx = cast(? as xid8), owner = null")
                    .param(saved)
                    .update();
        }
    }

    @Test
    void aRejectedEventIsSetAsideForTheRetriesAndParkedOnlyAtTheLastAllowedAttempt() {
        var ids = insert(2);
        var inTx = new TransactionTemplate(transactions);
        var event = awaitRows(START, 2).entries().getFirst().event();
        boolean parkedFirst =
                inTx.execute(s -> outbox.recordRejection(event, "bad\u0000entry", 2, Duration.ZERO, Instant.now()));

        assertThat(parkedFirst).isFalse();
        assertThat(ids(outbox.readAfter(START, 10)))
                .as("set aside, not read again")
                .containsExactly(ids.get(1));
        var setAside = inTx.execute(s -> outbox.claimSetAside(10, 0));
        assertThat(setAside).extracting(PendingEvent::eventId).containsExactly(ids.getFirst());
        assertThat(setAside.getFirst().attempts()).isEqualTo(1);
        assertThat(outbox.countPending()).isEqualTo(2);

        boolean parkedSecond = inTx.execute(
                s -> outbox.recordRejection(setAside.getFirst(), "bad entry", 2, Duration.ZERO, Instant.now()));
        assertThat(parkedSecond).isTrue();
        assertThat(setAside(inTx)).isEmpty();
        assertThat(jdbc.sql("select attempts, last_error from outbox_status where event_id = ?")
                        .param(ids.getFirst())
                        .query((rs, n) -> rs.getInt(1) + " " + rs.getString(2))
                        .single())
                .isEqualTo("2 bad entry");
        assertThat(states(ids)).containsExactly("PARKED", "PENDING");
        assertThat(outbox.countParked()).isEqualTo(1);
    }

    @Test
    void anEventSetAsideAndThenAcceptedIsPublishedWhereverThePositionIs() {
        var ids = insert(1);
        var inTx = new TransactionTemplate(transactions);
        var event = awaitRows(START, 1).entries().getFirst().event();
        inTx.execute(s -> outbox.recordRejection(event, "InternalError", 50, Duration.ofHours(1), Instant.now()));
        inTx.executeWithoutResult(s -> outbox.markPublished(outbox.claimSetAside(10, 0), Instant.now()));

        assertThat(states(ids)).containsExactly("PUBLISHED");
        assertThat(setAside(inTx)).isEmpty();
        assertThat(outbox.countPending()).isZero();
    }

    @Test
    void rejectionsParkAnEventOnlyOnceItIsOlderThanThePatience() {
        insert(1);
        var inTx = new TransactionTemplate(transactions);
        var event = awaitRows(START, 1).entries().getFirst().event();
        // Past the attempts but within the patience (an SNS incident): counted and set aside, not parked.
        boolean parked = inTx.execute(
                s -> outbox.recordRejection(event, "InternalError", 1, Duration.ofHours(1), Instant.now()));
        assertThat(parked).isFalse();
        assertThat(outbox.countParked()).isZero();
        var setAside = inTx.execute(s -> outbox.claimSetAside(1, 0)).getFirst();
        assertThat(setAside.attempts()).isEqualTo(1);
        // The same event an hour later: parked.
        boolean parkedLater = inTx.execute(s -> outbox.recordRejection(
                setAside,
                "InternalError",
                1,
                Duration.ofHours(1),
                setAside.createdAt().plus(Duration.ofHours(1))));
        assertThat(parkedLater).isTrue();
        assertThat(outbox.countParked()).isEqualTo(1);
    }

    @Test
    void concurrentRetriesClaimDisjointSetAsideRowsBecauseLockedRowsAreSkipped() throws Exception {
        var ids = insert(5);
        for (var entry : awaitRows(START, 5).entries()) {
            outbox.recordRejection(entry.event(), "InternalError", 50, Duration.ofHours(1), Instant.now());
        }
        var firstHolds = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var first = CompletableFuture.supplyAsync(() -> new TransactionTemplate(transactions).execute(s -> {
            var rows = outbox.claimSetAside(3, 0);
            firstHolds.countDown();
            await(release);
            return rows;
        }));
        assertThat(firstHolds.await(30, TimeUnit.SECONDS)).isTrue();
        // Without SKIP LOCKED the second claim would wait for the first; the lock timeout turns that wait into a
        // failure.
        var second = new TransactionTemplate(transactions).execute(s -> {
            jdbc.sql("set local lock_timeout = '5s'").update();
            return outbox.claimSetAside(10, 0);
        });
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS))
                .extracting(PendingEvent::eventId)
                .containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(second).extracting(PendingEvent::eventId).containsExactlyElementsOf(ids.subList(3, 5));
        // A retry pages through all of them: the next page starts after the last id of the one before.
        var pageAfterFirst = setAside(first.join().getLast().id());
        assertThat(pageAfterFirst).extracting(PendingEvent::eventId).containsExactlyElementsOf(ids.subList(3, 5));
    }

    private List<PendingEvent> setAside(long afterId) {
        return new TransactionTemplate(transactions).execute(s -> outbox.claimSetAside(10, afterId));
    }

    @Test
    void aRowReadCarriesTheAttributesItWasWrittenWithThroughJsonbAndBack() {
        var attributes = Map.of(
                "eventType", OutboxMessage.Attribute.string("OrderPlaced"),
                "total", OutboxMessage.Attribute.number(new BigDecimal("1234.50")),
                "country", OutboxMessage.Attribute.string("DE"),
                "note \"quoted\"", OutboxMessage.Attribute.string("back\\slash, tab\t, é, 😀, {\"json\": [1]}"),
                "traceparent",
                        OutboxMessage.Attribute.string("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        var id = UUID.randomUUID();
        outbox.insert(new OutboxMessage(id, "order-1", "OrderPlaced", "{}", attributes));
        assertThat(awaitRows(START, 1).entries()).singleElement().satisfies(entry -> {
            assertThat(entry.event().eventId()).isEqualTo(id);
            assertThat(entry.event().attributes()).isEqualTo(attributes);
        });
    }

    @Test
    void aRowWhoseAttributesCannotBeReadIsParkedWithTheReasonAndCountsAsReadSoThePositionPassesIt() {
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

        var window = awaitRows(START, 2);

        assertThat(ids(window)).containsExactly(before.getFirst(), after.getFirst());
        assertThat(window.read()).isEqualTo(6);
        assertThat(outbox.countParked()).isEqualTo(4);
        assertThat(jdbc.sql("select last_error from outbox where aggregate_id = 'hand-edited'")
                        .query(String.class)
                        .list())
                .hasSize(4)
                .allSatisfy(error -> assertThat(error).startsWith("Unreadable attributes "));
        // Read again (the position has not moved): counted as read, not returned and not parked again.
        var again = outbox.readAfter(START, 10);
        assertThat(ids(again)).containsExactly(before.getFirst(), after.getFirst());
        assertThat(again.read()).isEqualTo(6);
        assertThat(outbox.countParked()).isEqualTo(4);
    }

    @Test
    void retentionDeletesPublishedRowsOlderThanTheCutoffAndNeverPendingOrParkedOnes() {
        var ids = insert(4);
        var a = "relay-a-" + UUID.randomUUID();
        var from = takeOver(a, Duration.ofMinutes(1));
        try {
            var window = awaitRows(START, 4);
            outbox.recordRejection(
                    window.entries().get(1).event(), "refused", 1, Duration.ZERO, Instant.now()); // parked
            assertThat(outbox.advance(a, from, window.entries().get(2).at(), Instant.now(), Duration.ofMinutes(1)))
                    .isTrue();
            assertThat(states(ids)).containsExactly("PUBLISHED", "PARKED", "PUBLISHED", "PENDING");

            assertThat(outbox.deletePublishedBefore(Instant.now().plusSeconds(60)))
                    .isEqualTo(2);
            assertThat(jdbc.sql("select event_id from outbox order by id")
                            .query(UUID.class)
                            .list())
                    .containsExactly(ids.get(1), ids.get(3));
        } finally {
            outbox.release(a);
        }
    }

    private List<PendingEvent> setAside(TransactionTemplate inTx) {
        return inTx.execute(s -> outbox.claimSetAside(10, 0));
    }

    /** Takes the lease for {@code owner}, whoever held it (a test's relay may not have given it up). */
    private Position takeOver(String owner, Duration lease) {
        jdbc.sql("update outbox_position set owner = null").update();
        return outbox.lease(owner, lease).orElseThrow();
    }

    /**
     * The window after {@code after} once it has {@code rows} events: a transaction of another test class, on another
     * database of the same server, holds back what is read until it ends.
     */
    private OutboxRepository.Window awaitRows(Position after, int rows) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> outbox.readAfter(after, 100), w -> w.entries().size() >= rows);
    }

    private List<String> states(List<UUID> ids) {
        var states = new ArrayList<String>();
        for (var id : ids) {
            states.add(jdbc.sql("select state from outbox_status where event_id = ?")
                    .param(id)
                    .query(String.class)
                    .single());
        }
        return states;
    }

    private static List<UUID> ids(OutboxRepository.Window window) {
        return window.entries().stream().map(e -> e.event().eventId()).toList();
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
