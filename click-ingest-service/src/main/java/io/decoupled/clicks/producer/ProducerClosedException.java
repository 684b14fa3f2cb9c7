package io.decoupled.clicks.producer;

/** The producer is shutting down (draining its buffer) and takes no new records. */
public class ProducerClosedException extends RuntimeException {
    public ProducerClosedException() {
        super("the clickstream producer is shutting down and accepts no new records");
    }
}
