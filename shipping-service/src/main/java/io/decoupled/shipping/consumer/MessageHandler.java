package io.decoupled.shipping.consumer;

/**
 * Application logic behind the consumer. Returning normally means the effect is durably recorded and the
 * message may be deleted; {@link PoisonMessageException} means retrying cannot help; any other exception
 * is treated as transient and retried after a backoff.
 */
@FunctionalInterface
public interface MessageHandler {
    /** @return a short outcome label for metrics, such as {@code shipped} or {@code duplicate} */
    String handle(ReceivedMessage message) throws Exception;
}
