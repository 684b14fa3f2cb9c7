package io.decoupled.shipping.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transactional outbox, the relaying side (polling publisher), the same class as order-service's. Each cycle claims
 * up to {@code batchSize} (50) pending rows with {@code FOR UPDATE SKIP LOCKED} (at most the head of each FIFO group:
 * the one difference, see {@link OutboxRepository#claim}), publishes them in PublishBatch calls of ten, and marks
 * published only what SNS accepted, all in one transaction: the claim, the mark and the commit are paid once per five
 * calls, not per call. An entry SNS keeps rejecting is parked after a bounded number of attempts.
 *
 * <p>Delivery is at least once: if SNS accepted a batch and the commit then failed, that batch goes out again with
 * the same deduplication ids, which SNS FIFO drops within its five-minute window and consumers deduplicate after it.
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
    }

    /** What one cycle did. */
    record Cycle(int claimed, int accepted, boolean callFailed) {
        static final Cycle IDLE = new Cycle(0, 0, false);
    }

    /** Claims, publishes and records one batch, in one transaction that holds the claimed rows' locks throughout. */
    Cycle relayOnce() {
        return transactions.execute(status -> {
            var batch = repository.claim(settings.batchSize());
            if (batch.isEmpty()) {
                return Cycle.IDLE;
            }
            var outcome = publisher.publish(batch);
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
        for (int i = 0; i < settings.workers(); i++) {
            workers.add(Thread.ofVirtual().name("outbox-relay-" + i).start(this::loop));
        }
        log.info(
                "Outbox relay started with {} workers, claims of up to {} events",
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

    /** Stops after the consumer (a lower phase stops later), so the consumer's last events are still relayed. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2000;
    }
}
