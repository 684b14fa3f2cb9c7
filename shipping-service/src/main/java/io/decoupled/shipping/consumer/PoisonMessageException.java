package io.decoupled.shipping.consumer;

/** A message that can never be processed as it is (unparseable, wrong shape); retrying it is pointless. */
public class PoisonMessageException extends RuntimeException {
    public PoisonMessageException(String message) {
        super(message);
    }

    public PoisonMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
