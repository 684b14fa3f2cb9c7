package io.decoupled.clicks.producer;

/** A record could not be written to the stream after every allowed attempt, or before shutdown completed. */
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
