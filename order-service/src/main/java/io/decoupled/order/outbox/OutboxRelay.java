package io.decoupled.order.outbox;

import io.decoupled.order.outbox.OutboxRepository.Position;
import io.decoupled.order.outbox.OutboxRepository.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transactional outbox, the relaying side: a polling publisher that reads the outbox in commit order and keeps one
 * position, instead of locking and marking each row (docs/order-service.md, "The relay").
 *
 * <p><b>Commit order.</b> Each row carries the id of the transaction that wrote it. The relay reads the rows after its
 * position in (transaction id, row id) order, but only rows of transactions below the oldest one still running: those
 * have all ended, so no row can appear later below them ({@link OutboxRepository#readAfter}). A window of up to
 * {@code batchSize} rows is published in PublishBatch calls of 10, over {@code workers} lanes at once; then the position
 * moves past what SNS answered, in one statement with a record of when. No outbox row is locked or written on
 * the way, which is what a relay that claims rows pays per event (docs/benchmarks.md, run 21).
 *
 * <p><b>Pipelined.</b> While a window is published, the next one is read and launched; its slices wait for a free lane,
 * so a lane goes from one window to the next without waiting for the others, and at most {@code workers} calls are in
 * flight. Meanwhile the last window is settled and the position moved past it. The database work is off the path of
 * the PublishBatch calls.
 *
 * <p><b>One relay at a time.</b> The position has a lease: the instance that holds it relays, the others poll to take
 * over when it gives the lease up (on stop) or lets it run out ({@code leaseDuration}, after a crash). A move of the
 * position checks the owner and where it was, so a relay that lost its lease (paused past it) cannot move it.
 *
 * <p><b>Rejections.</b> An entry SNS rejects is counted against its row and set aside, or parked once its attempts are
 * used up; either way the position moves past it, so one bad event never holds up the others. Rows set aside are
 * retried every poll interval, with {@code FOR UPDATE SKIP LOCKED}, and marked published one by one. A failed call
 * (SNS unreachable, the circuit open) says nothing about its entries: the position stops before the first of them and
 * the window is read again after a poll interval; entries of the window that SNS accepted meanwhile are remembered and
 * not published again.
 *
 * <p>Delivery is at least once: if SNS accepted a window and the relay died before the position moved, the next relay
 * publishes it again, with the same event ids, which consumers deduplicate on.
 */
class OutboxRelay implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** How long a stop waits to give the lease up. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(2);

    private final OutboxRepository repository;
    private final SnsBatchPublisher publisher;
    private final TransactionTemplate transactions;
    private final OutboxMetrics metrics;
    private final OutboxProperties.Relay settings;
    private final Clock clock;
    private final String owner = host() + "/" + UUID.randomUUID();
    private final Semaphore wakeUps = new Semaphore(0);
    /** One permit per publishing lane, taken by a slice while it publishes: at most {@code workers} calls at once. */
    private final Semaphore lanePermits;

    /** Where the position is while this relay holds the lease; {@code null} otherwise. Used by one thread at a time. */
    private Position position;
    /** When the lease was last taken or renewed. */
    private Instant leased = Instant.EPOCH;
    /** Rows after the position that SNS accepted in a window that stopped short (a call failed): not sent again. */
    private final Set<Long> acceptedAhead = new HashSet<>();

    private Instant lastSetAsideRetry = Instant.EPOCH;

    private volatile ExecutorService lanes;
    private volatile Thread worker;
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
        this.lanePermits = new Semaphore(settings.workers(), true);
    }

    /** What one cycle did: rows read and events accepted, whether a call failed, whether this relay holds the lease. */
    record Cycle(int read, int accepted, boolean callFailed, boolean leading) {
        static final Cycle IDLE = new Cycle(0, 0, false, true);
        static final Cycle NOT_LEADING = new Cycle(0, 0, false, false);
    }

    /**
     * One window, synchronously: takes or renews the lease, retries rows set aside when a poll interval has passed,
     * then reads, publishes and settles one window and moves the position. For tests and tools; the running relay
     * pipelines windows instead ({@link #drain}).
     */
    synchronized Cycle relayOnce() {
        var lanes = Executors.newVirtualThreadPerTaskExecutor();
        try {
            if (!lead()) {
                return Cycle.NOT_LEADING;
            }
            retrySetAsideWhenDue();
            var window = read(position);
            if (window.isEmpty()) {
                return Cycle.IDLE;
            }
            var outcome = join(launch(window, lanes));
            settle(window, outcome);
            return new Cycle(
                    window.read(),
                    outcome.accepted().size(),
                    outcome.callFailure().isPresent(),
                    true);
        } catch (RuntimeException e) {
            forget();
            throw e;
        } finally {
            lanes.close();
        }
    }

    /**
     * Takes the lease if this relay does not hold it, renews it when a third of it has passed.
     *
     * @return whether this relay holds it
     */
    private boolean lead() {
        var now = clock.instant();
        if (position != null
                && Duration.between(leased, now)
                                .compareTo(settings.leaseDuration().dividedBy(3))
                        < 0) {
            return true;
        }
        Optional<Position> held = transactions.execute(s -> repository.lease(owner, settings.leaseDuration()));
        if (held == null || held.isEmpty()) {
            if (position != null) {
                log.info("Outbox relay {} lost its lease; another instance relays", owner);
            }
            forget();
            return false;
        }
        if (position == null) {
            log.info("Outbox relay {} took the lease at {}", owner, held.get());
        } else if (!held.get().equals(position)) {
            // Only the holder moves the position, so it moved because the lease was lost in between.
            acceptedAhead.clear();
        }
        position = held.get();
        leased = now;
        return true;
    }

    /** Drops what this relay knew as the lease's holder: the next cycle takes the lease and reads the position again. */
    private void forget() {
        position = null;
        acceptedAhead.clear();
    }

    /** One statement, outside a transaction: a transaction around it would only add two round trips a window. */
    private Window read(Position after) {
        return repository.readAfter(after, settings.batchSize());
    }

    /**
     * Relays windows one after another for as long as they come full (a backlog). The next window is read and launched
     * while the last one is published: its slices wait for a lane ({@link #lanePermits}), so at most {@code workers}
     * calls are in flight, and a lane that has finished its slice of one window goes on with the next without waiting
     * for the other lanes. Meanwhile the last window is settled and the position moved past it. Ends after a window
     * that was not full, or that stopped short.
     */
    private Cycle drain() {
        var window = read(position);
        if (window.isEmpty()) {
            return Cycle.IDLE;
        }
        var publishing = launch(window, lanes);
        int accepted = 0;
        while (true) {
            var next = running && window.read() >= settings.batchSize() ? read(window.end()) : Window.EMPTY;
            Future<BatchOutcome> nextPublishing = next.isEmpty() ? null : launch(next, lanes);
            var outcome = join(publishing);
            accepted += outcome.accepted().size();
            boolean whole = settleRejections(window, outcome);
            if (!whole && nextPublishing != null) {
                // This window stopped short with the next one under way: its rejections are recorded, and what SNS
                // accepted of it is remembered, as for the events after the stop in this one.
                var nextOutcome = join(nextPublishing);
                accepted += nextOutcome.accepted().size();
                settleRejections(next, nextOutcome);
                nextOutcome.accepted().forEach(e -> acceptedAhead.add(e.id()));
                nextPublishing = null;
            }
            try {
                move(window, outcome, whole);
            } catch (RuntimeException e) {
                if (nextPublishing != null) {
                    // Accepted or not, the next relay to hold the position publishes these again.
                    join(nextPublishing);
                }
                throw e;
            }
            if (nextPublishing == null) {
                return new Cycle(window.read(), accepted, !whole, true);
            }
            window = next;
            publishing = nextPublishing;
        }
    }

    /**
     * Publishes a window's events, except those already accepted, over the lanes: each lane one contiguous slice, in
     * calls of up to 10 entries one after another.
     */
    private Future<BatchOutcome> launch(Window window, ExecutorService lanes) {
        var events = window.entries().stream()
                .map(Window.Entry::event)
                .filter(e -> !acceptedAhead.contains(e.id()))
                .toList();
        int slice = Math.ceilDiv(Math.ceilDiv(events.size(), settings.workers()), 10) * 10;
        var slices = new ArrayList<Future<BatchOutcome>>();
        for (int from = 0; from < events.size(); from += slice) {
            var part = events.subList(from, Math.min(events.size(), from + slice));
            slices.add(lanes.submit(() -> {
                lanePermits.acquireUninterruptibly();
                try {
                    return publisher.publish(part);
                } finally {
                    lanePermits.release();
                }
            }));
        }
        return lanes.submit(() -> merge(slices));
    }

    private static BatchOutcome merge(List<Future<BatchOutcome>> slices) {
        return BatchOutcome.merge(slices.stream().map(OutboxRelay::join).toList());
    }

    private static BatchOutcome join(Future<BatchOutcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Settles a window: records its rejections, and moves the position past what SNS answered. */
    private void settle(Window window, BatchOutcome outcome) {
        move(window, outcome, settleRejections(window, outcome));
    }

    /**
     * Counts the accepted events and records each rejected one against its row (set aside, or parked).
     *
     * @return whether SNS answered for every event of the window (no call failed)
     */
    private boolean settleRejections(Window window, BatchOutcome outcome) {
        var now = clock.instant();
        metrics.accepted(outcome.accepted(), now);
        for (var rejection : outcome.rejected()) {
            record(rejection, now);
        }
        outcome.entryFailures().forEach(metrics::rejected);
        outcome.callFailure().ifPresent(e -> {
            metrics.callFailed(e);
            log.warn(
                    "PublishBatch failed for some of {} events; they stay in the outbox: {}",
                    window.entries().size(),
                    e.toString());
        });
        return outcome.callFailure().isEmpty();
    }

    /**
     * Moves the position: past the whole window when SNS answered for all of it, otherwise up to the first event it did
     * not answer for, remembering the events after that one which it accepted.
     */
    private void move(Window window, BatchOutcome outcome, boolean whole) {
        Position to = window.end();
        if (!whole) {
            var answered = new HashSet<Long>(acceptedAhead);
            outcome.accepted().forEach(e -> answered.add(e.id()));
            outcome.rejected().forEach(r -> answered.add(r.event().id()));
            var accepted = new HashSet<Long>();
            outcome.accepted().forEach(e -> accepted.add(e.id()));
            to = null;
            boolean stopped = false;
            for (var entry : window.entries()) {
                long id = entry.event().id();
                if (!stopped && !answered.contains(id)) {
                    stopped = true;
                }
                if (!stopped) {
                    to = entry.at();
                } else if (accepted.contains(id)) {
                    acceptedAhead.add(id);
                }
            }
        }
        if (to == null || !to.isAfter(position)) {
            return;
        }
        var from = position;
        var target = to;
        var at = clock.instant();
        // One statement, atomic by itself: a transaction around it would only add two round trips a window.
        boolean moved = repository.advance(owner, from, target, at, settings.leaseDuration());
        if (!moved) {
            forget();
            throw new LeaseLostException(owner);
        }
        position = target;
        leased = at;
        if (!acceptedAhead.isEmpty()) {
            for (var entry : window.entries()) {
                if (!entry.at().isAfter(target)) {
                    acceptedAhead.remove(entry.event().id());
                }
            }
        }
    }

    /** Counts a rejection against its row; parks the row once its attempts are used up. */
    private void record(BatchOutcome.Rejection rejection, Instant now) {
        int limit = rejection.senderFault() ? settings.maxEntryAttempts() : settings.maxTransientEntryAttempts();
        // SNS's own failures park an event only once it is older than the patience too: during an SNS incident every
        // event fails alike, often enough to reach any count within a minute.
        var patience = rejection.senderFault() ? Duration.ZERO : settings.transientEntryPatience();
        boolean parked = Boolean.TRUE.equals(transactions.execute(
                s -> repository.recordRejection(rejection.event(), rejection.describe(), limit, patience, now)));
        if (parked) {
            metrics.parked(rejection);
            log.warn(
                    "Event {} ({}) parked after {} rejections: {}",
                    rejection.event().eventId(),
                    rejection.event().eventType(),
                    limit,
                    OutboxRepository.sanitise(rejection.describe()));
        }
    }

    /**
     * Publishes the rows set aside after a rejection, once a poll interval has passed since the last time: all of them,
     * a page of {@code batchSize} at a time in id order, so that none waits behind others that keep being rejected.
     * Stops at a failed call (SNS down: the next interval tries again).
     */
    private void retrySetAsideWhenDue() {
        var now = clock.instant();
        var since = Duration.between(lastSetAsideRetry, now);
        if (!since.isNegative() && since.compareTo(settings.pollInterval()) < 0) {
            return;
        }
        lastSetAsideRetry = now;
        long after = 0;
        while (after >= 0) {
            long from = after;
            Long next = transactions.execute(status -> {
                var page = repository.claimSetAside(settings.batchSize(), from);
                if (page.isEmpty()) {
                    return -1L;
                }
                var outcome = publisher.publish(page);
                var at = clock.instant();
                repository.markPublished(outcome.accepted(), at);
                metrics.accepted(outcome.accepted(), at);
                for (var rejection : outcome.rejected()) {
                    record(rejection, at);
                }
                outcome.entryFailures().forEach(metrics::rejected);
                outcome.callFailure().ifPresent(metrics::callFailed);
                return outcome.callFailure().isPresent() || page.size() < settings.batchSize()
                        ? -1L
                        : page.getLast().id();
            });
            after = next == null ? -1 : next;
        }
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
                Cycle cycle;
                synchronized (this) {
                    if (!lead()) {
                        cycle = Cycle.NOT_LEADING;
                    } else {
                        retrySetAsideWhenDue();
                        cycle = drain();
                    }
                }
                if (!cycle.leading() || cycle.callFailed()) {
                    // Another relay leads, or SNS is down or the circuit open: a full interval, whatever commits.
                    pause(settings.pollInterval(), false);
                } else if (cycle.read() < settings.batchSize()) {
                    pause(settings.pollInterval(), true);
                }
                // A full window means a backlog: go again at once.
            } catch (LeaseLostException e) {
                log.info(e.getMessage());
                pause(settings.pollInterval(), false);
            } catch (RuntimeException e) {
                synchronized (this) {
                    forget();
                }
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
        lanes = Executors.newVirtualThreadPerTaskExecutor();
        worker = Thread.ofVirtual().name("outbox-relay").start(this::loop);
        log.info(
                "Outbox relay {} started: windows of up to {} events over {} publishing lanes, lease {}",
                owner,
                settings.batchSize(),
                settings.workers(),
                settings.leaseDuration());
    }

    /**
     * Stops the loop, waiting at most twice the call timeout: a window in flight is published and its position moved,
     * so SNS's answer is not thrown away. Then gives the lease up, waiting at most two seconds, so another instance
     * takes over at once; not when the loop did not end in time (the database gone), because that would wait for the
     * database too.
     */
    @Override
    public void stop() {
        var loop = worker;
        if (!running || loop == null) {
            return;
        }
        running = false;
        // No interrupts: a window in flight finishes, so SNS's answer is not thrown away.
        stopping.countDown();
        wakeUps.release();
        boolean ended = false;
        try {
            ended = loop.join(settings.callTimeout().multipliedBy(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.shutdown();
        if (ended) {
            synchronized (this) {
                forget();
            }
            // At most a few seconds: with the database going away too (the JVM exiting), a connection could take the
            // pool's whole timeout (30 s) to be refused. Not given up, the lease runs out by itself.
            var release = Thread.ofVirtual().name("outbox-relay-release").start(() -> {
                try {
                    repository.release(owner);
                } catch (RuntimeException e) {
                    log.warn(
                            "Outbox relay {} could not give its lease up; it runs out in {}",
                            owner,
                            settings.leaseDuration(),
                            e);
                }
            });
            try {
                if (!release.join(RELEASE_WAIT)) {
                    log.warn(
                            "Outbox relay {} stopped without giving its lease up; it runs out in {}",
                            owner,
                            settings.leaseDuration());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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

    /** The host's name where the platform sets one (ECS, Kubernetes, compose), else the process id. */
    private static String host() {
        return Optional.ofNullable(System.getenv("HOSTNAME"))
                .orElse("pid-" + ProcessHandle.current().pid());
    }

    /** Another relay moved the position or took the lease while this one published. */
    static final class LeaseLostException extends RuntimeException {
        LeaseLostException(String owner) {
            super("Outbox relay " + owner + " lost its lease while publishing; another instance relays");
        }
    }
}
