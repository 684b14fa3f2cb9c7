package io.decoupled.order.outbox;

import static io.decoupled.topology.Topology.ANALYTICS_ORDERS;
import static io.decoupled.topology.Topology.SHIPPING_ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.order.OrderServiceITSupport;
import io.decoupled.order.QueueProbe;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reliability by accounting: whatever SNS does (down for a while, refusing entries inside successful batches,
 * several relays competing for one backlog), every accepted order's event reaches the real queues exactly once.
 */
class SnsOutageIT extends OrderServiceITSupport {

    @Autowired
    CircuitBreaker snsPublishCircuitBreaker;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OutboxRepository repository;

    @Autowired
    SnsBatchPublisher publisher;

    @Autowired
    OutboxMetrics metrics;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    OutboxRelay relay;

    @Test
    void ordersAreAcceptedWhileSnsIsDownAndEveryEventIsDeliveredOnceWhenItIsBack() {
        snsFaults.outage(true);
        var orders = placeOrders(30);

        // The relay keeps failing, so the circuit opens and the backlog is visible as a metric.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> snsPublishCircuitBreaker.getState() == CircuitBreaker.State.OPEN);
        assertThat(meters.get("outbox.backlog").gauge().value()).isGreaterThanOrEqualTo(orders.size());
        assertThat(meters.get("outbox.publish.failures").tag("kind", "call").counters())
                .isNotEmpty();
        assertThat(pendingOf(orders.keySet())).isEqualTo(orders.size());

        snsFaults.outage(false);

        assertDeliveredExactlyOnce(orders);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> snsPublishCircuitBreaker.getState() == CircuitBreaker.State.CLOSED);
    }

    @Test
    void entriesSnsRefusesInsideASuccessfulBatchAreRetriedAloneAndDeliveredOnce() {
        // Build a backlog first, so the relay sends full batches of ten when SNS comes back.
        snsFaults.outage(true);
        var orders = placeOrders(40);
        snsFaults.rejectEveryOtherEntryOnce(true);
        snsFaults.outage(false);

        assertDeliveredExactlyOnce(orders);
        assertThat(snsFaults.rejectedEntries()).isPositive();
        assertThat(meters.get("outbox.publish.failures")
                        .tag("kind", "entry")
                        .counter()
                        .count())
                .isPositive();
    }

    @Test
    void competingRelaysNeverPublishAnEventTwice() {
        snsFaults.outage(true);
        var orders = placeOrders(60);
        // Two more relays beside the application's own, as if three instances were running: one holds the lease and
        // relays, the others poll to take it.
        var settings = relaySettings(3, Duration.ofMillis(50), 3, 50, Duration.ZERO);
        var others = new ArrayList<OutboxRelay>();
        for (int i = 0; i < 2; i++) {
            var relay = new OutboxRelay(
                    repository,
                    publisher,
                    new TransactionTemplate(transactionManager),
                    metrics,
                    settings,
                    Clock.systemUTC());
            relay.start();
            others.add(relay);
        }
        try {
            snsFaults.outage(false);
            assertDeliveredExactlyOnce(orders);
        } finally {
            others.forEach(OutboxRelay::stop);
        }
    }

    @Test
    void anOrderWhoseTransactionCommitsAfterLaterOnesIsRelayedWhenItEndsAndNothingAfterItIsSkipped() throws Exception {
        var open = new CountDownLatch(1);
        var commit = new CountDownLatch(1);
        var slowOrder = "slow-" + UUID.randomUUID();
        // An outbox row written first and committed last: the rows committed meanwhile come after it in the relay's
        // order, and must wait for it rather than be published past it (the position would then skip it for good).
        var slow = Thread.ofVirtual()
                .start(() -> new TransactionTemplate(transactionManager).executeWithoutResult(s -> {
                    var eventId = UUID.randomUUID();
                    repository.insert(new OutboxMessage(
                            eventId,
                            slowOrder,
                            "OrderPlaced",
                            """
                            {"eventId":"%s","eventType":"OrderPlaced","orderId":"%s","fulfillment":"DIGITAL"}""".formatted(eventId, slowOrder),
                            Map.of(
                                    "eventType", OutboxMessage.Attribute.string("OrderPlaced"),
                                    "fulfillment", OutboxMessage.Attribute.string("DIGITAL"))));
                    open.countDown();
                    awaitUninterruptibly(commit);
                }));
        awaitUninterruptibly(open);
        var orders = placeOrders(20);
        // Several poll intervals (200 ms) with the transaction open: nothing after it goes out.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> pendingOf(orders.keySet()) == orders.size());

        commit.countDown();
        slow.join(Duration.ofSeconds(10));
        var all = new LinkedHashMap<>(orders);
        all.put(slowOrder, "DIGITAL");
        assertDeliveredExactlyOnce(all);
    }

    @Test
    void aRelayThatDiesHoldingTheLeaseIsTakenOverOnceTheLeaseRunsOutAndEveryEventGoesOutOnce() {
        relay.stop();
        var lease = Duration.ofSeconds(2);
        var dead = relayOf(lease);
        var survivor = relayOf(lease);
        try {
            var before = placeOrders(10);
            // The first relay takes the lease and publishes a window, then dies (it is never called again and never
            // gives its lease up).
            assertThat(dead.relayOnce().leading()).isTrue();
            var after = placeOrders(10);
            assertThat(survivor.relayOnce().leading())
                    .as("while the lease lasts")
                    .isFalse();
            assertThat(pendingOf(after.keySet())).isEqualTo(after.size());

            long start = System.nanoTime();
            survivor.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> pendingOf(after.keySet()) == 0);
            // The rest of the lease's 2 s, a poll and the publishing: far less than never.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(lease.multipliedBy(3));
            // One check for both: a probe deletes whatever else it reads.
            var all = new LinkedHashMap<>(before);
            all.putAll(after);
            assertDeliveredExactlyOnce(all);
        } finally {
            survivor.stop();
            relay.start();
        }
    }

    private OutboxRelay relayOf(Duration lease) {
        return new OutboxRelay(
                repository,
                publisher,
                new TransactionTemplate(transactionManager),
                metrics,
                new OutboxProperties.Relay(
                        true,
                        1,
                        10,
                        Duration.ofMillis(200),
                        lease,
                        3,
                        50,
                        Duration.ZERO,
                        Duration.ofSeconds(5),
                        Duration.ofDays(7)),
                Clock.systemUTC());
    }

    private static OutboxProperties.Relay relaySettings(
            int workers, Duration pollInterval, int maxEntryAttempts, int maxTransientAttempts, Duration patience) {
        return new OutboxProperties.Relay(
                true,
                workers,
                10,
                pollInterval,
                Duration.ofSeconds(15),
                maxEntryAttempts,
                maxTransientAttempts,
                patience,
                Duration.ofSeconds(5),
                Duration.ofDays(7));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        await().atMost(Duration.ofSeconds(30)).until(() -> latch.getCount() == 0);
    }

    @Test
    void entriesRefusedForTheTopicsKeyOpenTheCircuitCountAgainstNoEventAndAreDeliveredOnceWhenTheKeyIsBack() {
        snsPublishCircuitBreaker.reset();
        // Calls are answered, every entry refused per entry: the key's fault, not the events'.
        snsFaults.refuseEveryEntryWith("KMSDisabled");
        var orders = placeOrders(20);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> snsPublishCircuitBreaker.getState() == CircuitBreaker.State.OPEN);
        assertThat(pendingOf(orders.keySet())).isEqualTo(orders.size());
        assertThat(jdbc.sql(
                                "select count(*) from outbox where aggregate_id in (:ids) and (attempts > 0 or parked_at is not null)")
                        .param("ids", List.copyOf(orders.keySet()))
                        .query(Long.class)
                        .single())
                .as("events with an attempt counted against them")
                .isZero();

        snsFaults.refuseEveryEntryWith(null);

        assertDeliveredExactlyOnce(orders);
    }

    @Test
    void anEventSnsKeepsRefusingAsInvalidIsParkedWithoutHoldingUpTheOthers() {
        snsFaults.outage(true);
        var orders = placeOrders(40);
        var poisoned = orders.keySet().iterator().next();
        var poisonedEvent = jdbc.sql("select event_id::text from outbox where aggregate_id = ?")
                .param(poisoned)
                .query(String.class)
                .single();
        snsFaults.rejectAsSenderFault(poisonedEvent);
        snsFaults.outage(false);

        var others = new LinkedHashMap<>(orders);
        others.remove(poisoned);
        assertDeliveredExactlyOnce(others);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.sql(
                                        "select parked_at is not null and attempts = 3 and last_error like 'InvalidParameter%' from outbox where event_id = ?::uuid")
                                .param(poisonedEvent)
                                .query(Boolean.class)
                                .single())
                        .isTrue());
        assertThat(meters.get("outbox.parked").gauge().value()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBatchSnsRefusesAsAWholeIsSplitSoThatOnlyTheInvalidEventIsParked() {
        // The invalid event must go out inside a batch, not alone. So the application's relay is stopped while the
        // orders are placed, and one cycle runs first, reading them together; then the relay goes on by itself.
        relay.stop();
        Map<String, String> orders;
        String poisoned;
        String poisonedEvent;
        try {
            orders = placeOrders(25);
            poisoned = orders.keySet().iterator().next();
            poisonedEvent = eventOf(poisoned);
            snsFaults.refuseCallsContaining(poisonedEvent);
            var event = poisonedEvent;
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                relay.relayOnce();
                return jdbc.sql("select attempts from outbox where event_id = ?::uuid")
                                .param(event)
                                .query(Integer.class)
                                .single()
                        > 0;
            });
        } finally {
            relay.start();
        }

        var others = new LinkedHashMap<>(orders);
        others.remove(poisoned);
        assertDeliveredExactlyOnce(others);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.sql(
                                        "select parked_at is not null and attempts = 3 and last_error like 'InvalidParameter%' from outbox where event_id = ?::uuid")
                                .param(poisonedEvent)
                                .query(Boolean.class)
                                .single())
                        .isTrue());
        assertThat(snsFaults.invalidCalls())
                .as("the batch call, then the single-entry calls")
                .isGreaterThan(3);
        assertNeverDelivered(poisoned);
        assertThat(meters.get("outbox.parked.events")
                        .tag("reason", "InvalidParameter")
                        .counter()
                        .count())
                .isPositive();
    }

    @Test
    void anEventSnsKeepsFailingOnItsSideIsParkedAfterABoundedNumberOfAttempts() {
        snsFaults.outage(true);
        var orders = placeOrders(15);
        var poisoned = orders.keySet().iterator().next();
        var poisonedEvent = eventOf(poisoned);
        snsFaults.failTransientlyAlways(poisonedEvent);
        snsFaults.outage(false);

        var others = new LinkedHashMap<>(orders);
        others.remove(poisoned);
        assertDeliveredExactlyOnce(others);
        // 50 relay cycles (each with its own retries) at the test's 200 ms poll interval.
        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> assertThat(jdbc.sql(
                                        "select parked_at is not null and attempts = 50 and last_error like 'InternalError%' from outbox where event_id = ?::uuid")
                                .param(poisonedEvent)
                                .query(Boolean.class)
                                .single())
                        .isTrue());
        assertNeverDelivered(poisoned);
    }

    @Test
    void anSnsIncidentFailingEveryEntryOnItsSideParksNothingAndEveryEventIsDeliveredOnceAfterIt() {
        // The application's relay is stopped and one with the production patience (an hour) and a bound of three
        // attempts relays instead, quickly: every event is refused many times over within seconds.
        relay.stop();
        Map<String, String> orders;
        try {
            snsFaults.failEveryEntryOnSnsSide(true);
            orders = placeOrders(12);
            var incident = new OutboxRelay(
                    repository,
                    publisher,
                    new TransactionTemplate(transactionManager),
                    metrics,
                    relaySettings(1, Duration.ofMillis(50), 3, 3, Duration.ofHours(1)),
                    Clock.systemUTC());
            incident.start();
            try {
                // Every event refused twice the bound, unless one is parked first (which fails the check below).
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> jdbc.sql("""
                                        select min(attempts) >= 6 or bool_or(parked_at is not null)
                                        from outbox where aggregate_id in (:ids)""")
                                .param("ids", List.copyOf(orders.keySet()))
                                .query(Boolean.class)
                                .single());
            } finally {
                incident.stop();
            }
            assertThat(jdbc.sql("select count(*) from outbox where aggregate_id in (:ids) and parked_at is not null")
                            .param("ids", List.copyOf(orders.keySet()))
                            .query(Long.class)
                            .single())
                    .as("events parked by an incident of SNS's own")
                    .isZero();
        } finally {
            snsFaults.failEveryEntryOnSnsSide(false);
            relay.start();
        }
        assertDeliveredExactlyOnce(orders);
    }

    private String eventOf(String orderId) {
        return jdbc.sql("select event_id::text from outbox where aggregate_id = ?")
                .param(orderId)
                .query(String.class)
                .single();
    }

    private void assertNeverDelivered(String orderId) {
        var analytics = probe(ANALYTICS_ORDERS, Set.of(orderId));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> analytics.drain().isEmpty());
    }

    /** Order id to fulfillment, for orders placed (and accepted) right now. */
    private Map<String, String> placeOrders(int count) {
        var orders = new LinkedHashMap<String, String>();
        for (int i = 0; i < count; i++) {
            var fulfillment = i % 3 == 0 ? "DIGITAL" : "SHIP";
            orders.put(placeOrder("c-" + UUID.randomUUID(), fulfillment, "10.00"), fulfillment);
        }
        return orders;
    }

    private void assertDeliveredExactlyOnce(Map<String, String> orders) {
        var ids = orders.keySet();
        var ship = orders.entrySet().stream()
                .filter(e -> e.getValue().equals("SHIP"))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        var analytics = probe(ANALYTICS_ORDERS, ids);
        var shipping = probe(SHIPPING_ORDERS, ids);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(orderIds(analytics.drain())).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(orderIds(shipping.drain())).containsExactlyInAnyOrderElementsOf(ship);
        });
        // Nothing arrives twice, not even late.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> analytics.drain().size() == ids.size()
                        && shipping.drain().size() == ship.size());
        var eventIds = analytics.drain().stream().map(r -> r.text("eventId")).toList();
        assertThat(new HashSet<>(eventIds)).hasSameSizeAs(eventIds);
        assertThat(pendingOf(ids)).isZero();
    }

    private long pendingOf(Set<String> orderIds) {
        return jdbc.sql("select count(*) from outbox_status where state <> 'PUBLISHED' and aggregate_id in (:ids)")
                .param("ids", List.copyOf(orderIds))
                .query(Long.class)
                .single();
    }

    private static List<String> orderIds(List<QueueProbe.Received> received) {
        return received.stream().map(r -> r.text("orderId")).collect(Collectors.toList());
    }
}
