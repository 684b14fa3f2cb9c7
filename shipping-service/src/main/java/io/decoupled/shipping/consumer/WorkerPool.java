package io.decoupled.shipping.consumer;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A resizable bound on concurrent handlers. Workers are virtual threads started per message; the pool is
 * this bound, so resizing is immediate: growing lets waiting messages start, shrinking lets running work
 * finish and starts nothing new until the busy count is under the new size.
 */
final class WorkerPool {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int size;
    private int busy;

    WorkerPool(int size) {
        this.size = size;
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
     * Takes a worker when one is free within {@code maxWait}. False at once when the pool is resized to zero (no
     * worker will come), and false when the wait runs out: the caller then releases the message instead of holding
     * it hidden from other consumers for work nobody here can start.
     */
    boolean acquire(Duration maxWait) throws InterruptedException {
        long nanos = maxWait.toNanos();
        lock.lock();
        try {
            while (busy >= size) {
                if (size == 0 || nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            busy++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            busy--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a worker is free and this poller is among the ones the pool size calls for. */
    boolean awaitWork(int pollerIndex, int batchSize, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (busy >= size || pollerIndex >= pollersFor(size, batchSize)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
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
                nanos = changed.awaitNanos(nanos);
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

    /**
     * One long poll per full batch the pool can work on, at least one: an idle consumer keeps a single
     * poller (3 receives a minute at 20 s waits), a busy one keeps its workers fed with full batches.
     */
    static int pollersFor(int workers, int batchSize) {
        return Math.max(1, (workers + batchSize - 1) / batchSize);
    }

}
