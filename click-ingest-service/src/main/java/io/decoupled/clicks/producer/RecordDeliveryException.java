package io.decoupled.clicks.producer;

/**
 * A record was given up on: the stream refused it with an error that is a verdict on that record, it could not be
 * written before shutdown completed, or (Kafka) not within the client's delivery timeout.
 */
public class RecordDeliveryException extends RuntimeException {
    private final String errorCode;

    public RecordDeliveryException(String message, String errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The last error the stream (Kinesis or Kafka) or its client reported for the record. */
    public String errorCode() {
        return errorCode;
    }
}
