package io.decoupled.shipping.consumer;

import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A received message until it is deleted or released, with the times the heartbeat needs. Times are
 * {@link System#nanoTime()} readings: monotonic, so a wall-clock jump cannot make a message look expired.
 */
final class InFlightMessage {
    private final Message message;
    private final long receivedAt;
    private volatile long visibleUntil;

    InFlightMessage(Message message, long receivedAt, long visibleUntil) {
        this.message = message;
        this.receivedAt = receivedAt;
        this.visibleUntil = visibleUntil;
    }

    Message message() {
        return message;
    }

    String messageId() {
        return message.messageId();
    }

    String receiptHandle() {
        return message.receiptHandle();
    }

    long receivedAt() {
        return receivedAt;
    }

    long visibleUntil() {
        return visibleUntil;
    }

    void extendedUntil(long nanoTime) {
        visibleUntil = nanoTime;
    }
}
