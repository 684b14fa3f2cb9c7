package io.decoupled.analytics.clicks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes every retry wait at once when the service stops. The KCL calls a processor's {@code shutdownRequested}
 * and {@code leaseLost} only after {@code processRecords} has returned, so a processor that is waiting out a
 * database outage learns of the shutdown from here (set when the Spring context closes, before the KCL worker is
 * stopped) or from its own flag.
 */
final class StopSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean stopped;

    void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean stopped() {
        return stopped;
    }

    /** Waits up to {@code duration}; returns early (true) when stopped or interrupted. */
    boolean awaitStop(Duration duration) {
        lock.lock();
        try {
            long left = duration.toNanos();
            while (!stopped && left > 0) {
                left = changed.awaitNanos(left);
            }
            return stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code duration}; returns early (true) when either signal is stopped or the thread is interrupted. */
    static boolean awaitAny(Duration duration, StopSignal mine, StopSignal global) {
        long deadline = System.nanoTime() + duration.toNanos();
        // Waits on the service-wide signal in short slices, checking the processor's own flag between them.
        while (true) {
            if (mine.stopped() || global.stopped() || Thread.currentThread().isInterrupted()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (global.awaitStop(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100))))) {
                return true;
            }
        }
    }
}
