package io.decoupled.order.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transactional outbox, the relaying side (polling publisher). Each cycle claims up to {@code batchSize} (50) pending
 * rows with {@code FOR UPDATE SKIP LOCKED}, publishes them in PublishBatch calls of ten, and marks published only what
 * SNS accepted, all in one transaction: the claim, the mark and the commit are paid once per five calls, not per call.
 * Several relays, in one instance or many, never claim the same row, so none publishes an event another is publishing;
 * a relay that dies mid-batch releases its locks and the rows are taken again.
 *
 * <p>Pipelined: each of the {@code workers} publishing lanes runs two loops, and a loop publishes only while it holds
 * its lane ({@link #lanes}). While one loop of a lane publishes, the other claims its next batch, or marks and commits
 * its last one, so the database work is off the path of the PublishBatch calls: at most {@code workers} calls are in
 * flight, one after another on each lane, as a raw publishing loop with as many threads would have.
 *
 * <p>While a backlog lasts, claims start past the rows the last full claim took ({@link #claim()}): the pending
 * index keeps the entries of published rows until a vacuum, and a claim from the lowest id would step over them all.
 *
 * <p>Delivery is at least once: if SNS accepted a batch and the commit then failed, that batch goes out again,
 * with the same event ids, which consumers deduplicate on.
 */
class OutboxRelay implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxRepository repository;
    private final SnsBatchPublisher publisher;
    private final TransactionTemplate transactions;
    private final OutboxMetrics metrics;
    private final OutboxProperties.Relay settings;
    private final Clock clock;
    private final Semaphore wakeUps = new Semaphore(0);
    /** One permit per publishing lane: held by the loop whose batch is being published. */
    private final Semaphore lanes;
    /** Where the next claim starts (0: at the lowest id); see {@link #claim()}. */
    private final AtomicLong floor = new AtomicLong();

    private volatile Instant lastFullClaim = Instant.EPOCH;

    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    private volatile CountDownLatch stopping = new CountDownLatch(1);

    OutboxRelay(
            OutboxRepository repository,
            SnsBatchPublisher publisher,
            TransactionTemplate transactions,
            OutboxMetrics metrics,
            OutboxProperties.Relay settings,
            Clock clock) {
        this.repository = repository;
        this.publisher = publisher;
        this.transactions = transactions;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.lanes = new Semaphore(settings.workers());
    }

    /** What one cycle did. */
    record Cycle(int claimed, int accepted, boolean callFailed) {
        static final Cycle IDLE = new Cycle(0, 0, false);
    }

    /** Claims, publishes and records one batch, in one transaction that holds the claimed rows' locks throughout. */
    Cycle relayOnce() {
        return transactions.execute(status -> {
            var batch = claim();
            if (batch.isEmpty()) {
                return Cycle.IDLE;
            }
            // Claimed (and locked) first, then wait for a lane: the other loop of the lane publishes meanwhile. Not
            // interruptible on purpose: stop() never interrupts, and the wait ends when a publish in flight does.
            lanes.acquireUninterruptibly();
            BatchOutcome outcome;
            try {
                outcome = publisher.publish(batch);
            } finally {
                lanes.release();
            }
            var now = clock.instant();
            repository.markPublished(outcome.accepted(), now);
            metrics.accepted(outcome.accepted(), now);
            for (var rejection : outcome.rejected()) {
                int limit =
                        rejection.senderFault() ? settings.maxEntryAttempts() : settings.maxTransientEntryAttempts();
                // SNS's own failures park an event only once it is older than the patience too: during an SNS
                // incident every event fails alike, often enough to reach any count within a minute.
                var patience = rejection.senderFault() ? Duration.ZERO : settings.transientEntryPatience();
                if (repository.recordRejection(rejection.event(), rejection.describe(), limit, patience, now)) {
                    metrics.parked(rejection);
                    log.warn(
                            "Event {} ({}) parked after {} rejections: {}",
                            rejection.event().eventId(),
                            rejection.event().eventType(),
                            limit,
                            OutboxRepository.sanitise(rejection.describe()));
                }
            }
            outcome.entryFailures().forEach(metrics::rejected);
            outcome.callFailure().ifPresent(e -> {
                metrics.callFailed(e);
                log.warn(
                        "PublishBatch of {} events failed; they stay in the outbox: {}",
                        batch.size() - outcome.accepted().size(),
                        e.toString());
            });
            return new Cycle(
                    batch.size(),
                    outcome.accepted().size(),
                    outcome.callFailure().isPresent());
        });
    }

    /**
     * Claims the next batch, starting at {@link #floor} when it is set: past the rows the last full claims took, which
     * are published or in flight. Rows below it can still become pending (a relay rolled back, an entry SNS refused
     * transiently, a transaction that took its id early and committed late), so a claim starts from the lowest id again
     * at least once every poll interval, and whenever the rows from the floor up run short.
     */
    private List<PendingEvent> claim() {
        long from = floor.get();
        var now = clock.instant();
        var sinceFullClaim = Duration.between(lastFullClaim, now);
        // A clock stepped back counts as a full interval.
        if (from > 0 && (sinceFullClaim.isNegative() || sinceFullClaim.compareTo(settings.pollInterval()) >= 0)) {
            from = 0;
        }
        if (from == 0) {
            lastFullClaim = now;
        }
        var batch = repository.claim(settings.batchSize(), from, Long.MAX_VALUE);
        if (batch.size() == settings.batchSize()) {
            floor.accumulateAndGet(batch.getLast().id() + 1, Math::max);
        } else if (from > 0) {
            // Short above the floor: fill up from below it, and claim from the lowest id again from now on.
            batch = new ArrayList<>(batch);
            batch.addAll(repository.claim(settings.batchSize() - batch.size(), 0, from));
            floor.set(0);
            lastFullClaim = now;
        }
        return batch;
    }

    /** Called after a transaction that appended to the outbox committed. */
    void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void loop() {
        while (running) {
            try {
                var cycle = relayOnce();
                if (cycle.callFailed()) {
                    // SNS is down or the circuit is open: wait a full interval, whatever commits meanwhile.
                    pause(settings.pollInterval(), false);
                } else if (cycle.claimed() < settings.batchSize()) {
                    pause(settings.pollInterval(), true);
                }
                // A full batch means a backlog: go again at once.
            } catch (RuntimeException e) {
                log.warn("Outbox relay cycle failed; retrying after {}", settings.pollInterval(), e);
                pause(settings.pollInterval(), false);
            }
        }
    }

    private void pause(Duration duration, boolean wakeable) {
        try {
            if (wakeable) {
                if (wakeUps.tryAcquire(duration.toNanos(), TimeUnit.NANOSECONDS)) {
                    wakeUps.drainPermits();
                }
            } else {
                stopping.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public synchronized void start() {
        if (running || !settings.enabled()) {
            return;
        }
        running = true;
        stopping = new CountDownLatch(1);
        // Two loops per lane: one publishes while the other does its database work (see the class comment).
        for (int i = 0; i < settings.workers() * 2; i++) {
            workers.add(Thread.ofVirtual().name("outbox-relay-" + i).start(this::loop));
        }
        log.info(
                "Outbox relay started with {} publishing lanes (two loops each), claims of up to {} events",
                settings.workers(),
                settings.batchSize());
    }

    @Override
    public synchronized void stop() {
        running = false;
        // No interrupts: a cycle in flight finishes and commits, so SNS's answer is not thrown away.
        stopping.countDown();
        wakeUps.release(workers.size());
        // One deadline for all the loops, not one each: with the database gone, every loop can be waiting for a
        // connection, and waits of one call timeout after another would outlast a platform's stop timeout.
        long deadline =
                System.nanoTime() + settings.callTimeout().multipliedBy(2).toNanos();
        for (var worker : workers) {
            try {
                worker.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Stops after the web server's graceful shutdown (a higher phase stops first), so the events of the last
     * requests it drained are still published by this instance rather than waiting for the next one.
     */
    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024;
    }
}
