package io.decoupled.shipping.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.localaws.LocalPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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

/**
 * The FIFO outbox's head-of-group claim on PostgreSQL itself, with Flyway's schema and nothing else: one event per
 * order per claim, the next one only once the earlier is published, and a parked event holding back its own order
 * only.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class ShippingOutboxRepositoryTest {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        LocalPostgres.shared()
                .springProperties("shipping_outbox_slice")
                .forEach((key, value) -> registry.add(key, () -> value));
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactions;

    private OutboxRepository outbox;
    private TransactionTemplate inTx;

    @BeforeEach
    void emptyOutbox() {
        var jdbc = JdbcClient.create(dataSource);
        jdbc.sql("delete from outbox").update();
        outbox = new OutboxRepository(jdbc);
        inTx = new TransactionTemplate(transactions);
    }

    @Test
    void aClaimTakesOnlyTheOldestUnpublishedEventOfEachOrder() {
        var a1 = insert("order-a", "ShipmentDispatched");
        var b1 = insert("order-b", "ShipmentDispatched");
        var a2 = insert("order-a", "ShipmentDelivered");
        assertThat(claim()).extracting(PendingEvent::eventId).containsExactly(a1, b1);
        inTx.executeWithoutResult(s -> outbox.markPublished(outbox.claim(10), Instant.now()));
        assertThat(claim()).extracting(PendingEvent::eventId).containsExactly(a2);
    }

    @Test
    void aParkedEventHoldsBackTheLaterEventsOfItsOrderAndOnlyThose() {
        var a1 = insert("order-a", "ShipmentDispatched");
        insert("order-a", "ShipmentDelivered");
        var b1 = insert("order-b", "ShipmentDispatched");
        inTx.executeWithoutResult(s -> {
            var head = outbox.claim(10).stream()
                    .filter(e -> e.eventId().equals(a1))
                    .findFirst()
                    .orElseThrow();
            assertThat(outbox.recordRejection(head, "refused", 1, Duration.ZERO, Instant.now()))
                    .isTrue();
        });
        assertThat(claim()).extracting(PendingEvent::eventId).containsExactly(b1);
    }

    /** Whether the rejection recorded in its own transaction parked the event. */
    private static boolean rejected(TransactionTemplate inTx, TransactionCallback<Boolean> rejection) {
        return Boolean.TRUE.equals(inTx.execute(rejection));
    }

    @Test
    void rejectionsParkAnEventOnlyOnceItIsOlderThanThePatience() {
        var a1 = insert("order-a", "ShipmentCancelled");
        // Past the attempts but within the patience (an SNS incident): counted, not parked, still the order's head.
        assertThat(rejected(
                        inTx,
                        s -> outbox.recordRejection(
                                outbox.claim(10).getFirst(), "InternalError", 1, Duration.ofHours(1), Instant.now())))
                .isFalse();
        var head = claim().getFirst();
        assertThat(head.eventId()).isEqualTo(a1);
        assertThat(head.attempts()).isEqualTo(1);
        // An hour after it was written: parked.
        assertThat(rejected(
                        inTx,
                        s -> outbox.recordRejection(
                                outbox.claim(10).getFirst(),
                                "InternalError",
                                1,
                                Duration.ofHours(1),
                                head.createdAt().plus(Duration.ofHours(1)))))
                .isTrue();
        assertThat(claim()).isEmpty();
    }

    private List<PendingEvent> claim() {
        return inTx.execute(s -> outbox.claim(10));
    }

    private UUID insert(String order, String type) {
        var id = UUID.randomUUID();
        outbox.insert(new OutboxMessage(id, order, type, "{}"), TraceContext.NONE);
        return id;
    }
}
