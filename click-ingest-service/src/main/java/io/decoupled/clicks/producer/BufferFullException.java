package io.decoupled.clicks.producer;

import java.time.Duration;

/** The producer holds as many records as it may; the caller should retry after {@link #retryAfter()}. */
public class BufferFullException extends RuntimeException {
    private final Duration retryAfter;

    public BufferFullException(int held, int capacity, int offered, Duration retryAfter) {
        super("the click buffer holds " + held + " of " + capacity + " records and cannot take " + offered + " more");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
