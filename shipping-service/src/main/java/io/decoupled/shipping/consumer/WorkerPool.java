package io.decoupled.shipping.consumer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A resizable bound on concurrent handlers, and the demand-driven prefetch in front of it (bounded buffer with
 * back-pressure: it prevents both a starved pool and messages held hidden that no worker can take).
 *
 * <p>Workers are virtual threads started per message; the pool is this bound, so resizing is immediate: growing
 * lets held messages start, shrinking lets running work finish and starts nothing new until the busy count is under
 * the new size. A worker that finishes takes the next held message itself, with no hand-off to another thread.
 *
 * <p>Prefetch is bounded by free capacity: a receive may start only while {@code size - busy - held} workers are not
 * yet spoken for, and each receive in flight speaks for a full batch. So at most one batch less one message is ever
 * held beyond what the workers can start, and with {@code w} workers at most {@code ceil(w / batch)} receives are in
 * flight ({@link #pollersFor}). Pollers scale with demand: one poller, another one for every receive that came back
 * full, back to one after an empty receive; an idle consumer therefore long-polls with a single receive.
 *
 * @param <T> what is held and handed to workers (a received message)
 */
final class WorkerPool<T> {
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a waiting poller may go on: room for a receive, a poller more, or held messages to see to. */
    private final Condition changed = lock.newCondition();
    /** Signalled when the last busy worker finished ({@link #awaitIdle}). */
    private final Condition idle = lock.newCondition();

    private final ArrayDeque<Held<T>> held = new ArrayDeque<>();
    private final int maxPollers;
    private int size;
    private int busy;
    private int receiving;
    private int activePollers = 1;
    /** The batch a receive speaks for (the pollers' batch size, recorded at their first reservation). */
    private int batch = 1;

    private boolean closed;

    private record Held<T>(T item, long deadline) {}

    WorkerPool(int size, int maxPollers) {
        this.size = size;
        this.maxPollers = maxPollers;
    }

    void resize(int newSize) {
        if (newSize < 0) {
            throw new IllegalArgumentException("worker count cannot be negative: " + newSize);
        }
        lock.lock();
        try {
            size = newSize;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until this poller may receive a batch: it is among the active pollers and some worker is not yet spoken
     * for. True reserves a batch for the receive, to be settled with {@link #received}. False when held messages need
     * the caller ({@link #startable}, {@link #unstartable}), at the latest when the first of them reaches its deadline.
     *
     * <p>Without held messages there is no deadline to watch, so the wait has no timeout: a virtual thread's timed wait
     * costs a timer in the scheduler for every wait, and a busy consumer waits thousands of times a second. Whatever
     * lets the poller go on signals it ({@link #received}, {@link #next}, {@link #resize}, {@link #close}), and
     * {@code stop()} interrupts it.
     */
    boolean awaitReceive(int pollerIndex, int batchSize) throws InterruptedException {
        return awaitReceive(pollerIndex, batchSize, false, 0);
    }

    /** As {@link #awaitReceive(int, int)}, and false once the timeout ran out (the tests' bound on a wait). */
    boolean awaitReceive(int pollerIndex, int batchSize, Duration timeout) throws InterruptedException {
        return awaitReceive(pollerIndex, batchSize, true, System.nanoTime() + timeout.toNanos());
    }

    private boolean awaitReceive(int pollerIndex, int batchSize, boolean timed, long timeoutAt)
            throws InterruptedException {
        lock.lock();
        try {
            batch = batchSize;
            while (closed || pollerIndex >= activePollers || free() <= 0) {
                long now = System.nanoTime();
                if ((timed && timeoutAt - now <= 0) || needsAttention(now)) {
                    return false;
                }
                // Until the first held message is due, or the timeout; neither: until signalled.
                long wait = held.isEmpty() ? Long.MAX_VALUE : held.peekFirst().deadline() - now;
                if (timed) {
                    wait = Math.min(wait, timeoutAt - now);
                }
                if (wait == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(wait);
                }
            }
            receiving++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean needsAttention(long now) {
        return !held.isEmpty() && (size == 0 || busy < size || held.peekFirst().deadline() - now <= 0);
    }

    /**
     * Settles a receive: a full batch adds a poller (up to the maximum), an empty one drops back to one. The
     * messages are offered to free workers; those no worker is free for are held until {@code deadline}
     * ({@link System#nanoTime()}). Returns the ones a worker was taken for: the caller starts them.
     */
    List<T> received(List<T> messages, int requested, long deadline) {
        lock.lock();
        try {
            boolean noRoomForAReceive = free() <= 0;
            int pollersBefore = activePollers;
            receiving--;
            if (messages.isEmpty()) {
                activePollers = 1;
            } else if (messages.size() >= requested) {
                activePollers = Math.min(maxPollers, activePollers + 1);
            }
            var start = new ArrayList<T>(messages.size());
            for (var message : messages) {
                if (!closed && busy < size) {
                    busy++;
                    start.add(message);
                } else {
                    held.addLast(new Held<>(message, deadline));
                }
            }
            // Wake the waiting pollers only when one of them may now go on: a poller more is allowed, or a partial
            // batch left room that its reservation had spoken for. Held messages are only ever added while every worker
            // is busy: nothing for a poller to start, and their deadline bounds its wait.
            if (activePollers > pollersBefore || (noRoomForAReceive && free() > 0)) {
                changed.signalAll();
            }
            return start;
        } finally {
            lock.unlock();
        }
    }

    /** A receive that failed or was cancelled gives its reservation back. */
    void receiveFailed() {
        lock.lock();
        try {
            boolean noRoomForAReceive = free() <= 0;
            receiving--;
            if (noRoomForAReceive && free() > 0) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by a worker when its message is done: the next held message if it may go on (the pool has not shrunk
     * under it and is not closed), keeping its worker; otherwise null and the worker is released.
     */
    T next() {
        lock.lock();
        try {
            boolean noRoomForAReceive = free() <= 0;
            T next = null;
            if (!closed && busy <= size && !held.isEmpty()) {
                next = held.pollFirst().item();
            } else {
                busy--;
            }
            // Wake the waiting pollers only when this changes what they wait for: room for one more receive (not on
            // every message: with many workers that would wake every waiting poller thousands of times a second for
            // nothing), or held messages the pollers must start or hand back.
            if ((noRoomForAReceive && free() > 0) || (next == null && !held.isEmpty())) {
                changed.signalAll();
            }
            if (busy == 0) {
                idle.signalAll();
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** Workers not yet spoken for by a running handler, a held message or a receive in flight; under the lock. */
    private int free() {
        return size - busy - held.size() - receiving * batch;
    }

    /** Held messages a worker is free for now (after the pool grew); each has taken its worker. */
    List<T> startable() {
        lock.lock();
        try {
            var start = new ArrayList<T>();
            while (!closed && busy < size && !held.isEmpty()) {
                busy++;
                start.add(held.pollFirst().item());
            }
            return start;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Held messages no worker will take in time: all of them when the pool is resized to zero, else those whose
     * deadline passed. The caller releases them for another consumer instead of keeping them hidden.
     */
    List<T> unstartable(long now) {
        lock.lock();
        try {
            var giveUp = new ArrayList<T>();
            while (!held.isEmpty() && (size == 0 || held.peekFirst().deadline() - now <= 0)) {
                giveUp.add(held.pollFirst().item());
            }
            if (!giveUp.isEmpty()) {
                // What they spoke for is free again. (Called by every poller on every turn: signalling unconditionally
                // here woke every waiting poller once per receive.)
                changed.signalAll();
            }
            return giveUp;
        } finally {
            lock.unlock();
        }
    }

    /** Starts nothing more (shutdown): returns what was held, for the caller to release. */
    List<T> close() {
        lock.lock();
        try {
            closed = true;
            var rest = held.stream().map(Held::item).toList();
            held.clear();
            changed.signalAll();
            idle.signalAll();
            return rest;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no worker is busy; false when the timeout passed first. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (busy > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    int busy() {
        lock.lock();
        try {
            return busy;
        } finally {
            lock.unlock();
        }
    }

    int held() {
        lock.lock();
        try {
            return held.size();
        } finally {
            lock.unlock();
        }
    }

    int activePollers() {
        lock.lock();
        try {
            return activePollers;
        } finally {
            lock.unlock();
        }
    }

    /** The most receives the free-capacity rule lets be in flight at once for this many workers, at least one. */
    static int pollersFor(int workers, int batchSize) {
        return Math.max(1, (workers + batchSize - 1) / batchSize);
    }
}
