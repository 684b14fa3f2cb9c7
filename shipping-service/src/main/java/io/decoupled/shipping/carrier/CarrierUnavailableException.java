package io.decoupled.shipping.carrier;

/** The carrier did not answer or refused for now; the booking may succeed on a later attempt. */
public class CarrierUnavailableException extends RuntimeException {
    public CarrierUnavailableException(String message) {
        super(message);
    }
}
