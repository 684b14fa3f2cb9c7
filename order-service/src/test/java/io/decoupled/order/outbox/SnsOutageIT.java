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
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
        // Two more relays beside the application's own, as if three instances were running: 16 loops in all
        // (the application's 2 lanes of two loops, and 3 lanes of two loops in each of the others).
        var settings = new OutboxProperties.Relay(
                true, 3, 10, Duration.ofMillis(50), 3, 50, Duration.ZERO, Duration.ofSeconds(5), Duration.ofDays(7));
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
    void rowsAnotherRelayReleasesBehindWhereClaimsStartAreClaimedOnceTheRowsAheadRunShort() {
        relay.stop();
        try {
            var orders = placeOrders(40);
            var clock = new TestClock();
            var claimer = relayOf(Duration.ofHours(1), clock);
            var released = releasedBehindTheFloor(orders.keySet(), claimer);

            // Claims now start past the rows taken so far: the released ones are not stepped over again...
            assertThat(claimer.relayOnce().claimed()).isEqualTo(10);
            assertThat(claimer.relayOnce().claimed()).isEqualTo(10);
            assertThat(pendingOf(released)).isEqualTo(released.size());
            // ...until the rows ahead run out: that claim fills up from the start, in the same cycle.
            assertThat(claimer.relayOnce().claimed()).isEqualTo(10);
            assertThat(pendingOf(released)).isZero();
            assertThat(claimer.relayOnce().claimed()).isZero();
            assertDeliveredExactlyOnce(orders);
        } finally {
            relay.start();
        }
    }

    @Test
    void rowsReleasedBehindWhereClaimsStartAreClaimedWithinAPollIntervalWhileTheBacklogAheadLasts() {
        relay.stop();
        try {
            var orders = placeOrders(40);
            var clock = new TestClock();
            var claimer = relayOf(Duration.ofSeconds(1), clock);
            var released = releasedBehindTheFloor(orders.keySet(), claimer);

            assertThat(claimer.relayOnce().claimed()).isEqualTo(10);
            assertThat(pendingOf(released)).isEqualTo(released.size());
            clock.advance(Duration.ofSeconds(1));
            // A poll interval after the last claim from the start, the next one starts there again.
            assertThat(claimer.relayOnce().claimed()).isEqualTo(10);
            assertThat(pendingOf(released)).isZero();
            assertThat(pendingOf(orders.keySet())).isEqualTo(10);
            assertThat(claimer.relayOnce().claimed()).isEqualTo(10);
            assertDeliveredExactlyOnce(orders);
        } finally {
            relay.start();
        }
    }

    /**
     * Another relay locks the oldest 10 of these orders' events, {@code claimer} takes the next 10 (so its claims now
     * start past them), and the other relay then dies, rolling back: its 10 rows are pending again, behind where the
     * claimer's claims start. Returns those orders.
     */
    private Set<String> releasedBehindTheFloor(Set<String> orderIds, OutboxRelay claimer) {
        var locked = new CountDownLatch(1);
        var dies = new CountDownLatch(1);
        var released = new HashSet<String>();
        var other = Thread.ofVirtual()
                .start(() -> new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
                    released.addAll(jdbc.sql("""
                                    select aggregate_id from outbox where aggregate_id in (:ids)
                                    order by id limit 10 for update""")
                            .param("ids", List.copyOf(orderIds))
                            .query(String.class)
                            .list());
                    locked.countDown();
                    awaitUninterruptibly(dies);
                    status.setRollbackOnly();
                }));
        awaitUninterruptibly(locked);
        assertThat(claimer.relayOnce().claimed()).isEqualTo(10);
        dies.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> !other.isAlive());
        assertThat(released).hasSize(10);
        assertThat(pendingOf(released)).isEqualTo(10);
        return released;
    }

    private OutboxRelay relayOf(Duration pollInterval, Clock clock) {
        return new OutboxRelay(
                repository,
                publisher,
                new TransactionTemplate(transactionManager),
                metrics,
                new OutboxProperties.Relay(
                        true, 1, 10, pollInterval, 3, 50, Duration.ZERO, Duration.ofSeconds(5), Duration.ofDays(7)),
                clock);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        await().atMost(Duration.ofSeconds(30)).until(() -> latch.getCount() == 0);
    }

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
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
        // The relay's loops claim concurrently (SKIP LOCKED), so how they share a backlog is up to timing, and the
        // invalid event could be claimed alone, never inside a batch. So the application's relay is stopped while the
        // orders are placed, and one cycle runs first, claiming them together; then the relay goes on by itself.
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
                    new OutboxProperties.Relay(
                            true,
                            1,
                            10,
                            Duration.ofMillis(50),
                            3,
                            3,
                            Duration.ofHours(1),
                            Duration.ofSeconds(5),
                            Duration.ofDays(7)),
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
        return jdbc.sql("select count(*) from outbox where published_at is null and aggregate_id in (:ids)")
                .param("ids", List.copyOf(orderIds))
                .query(Long.class)
                .single();
    }

    private static List<String> orderIds(List<QueueProbe.Received> received) {
        return received.stream().map(r -> r.text("orderId")).collect(Collectors.toList());
    }
}
