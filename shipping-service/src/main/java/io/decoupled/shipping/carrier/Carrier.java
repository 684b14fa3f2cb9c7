package io.decoupled.shipping.carrier;

import java.util.UUID;

/** Books a carrier for an order. Implementations must be idempotent per idempotency key. */
public interface Carrier {
    /**
     * @param idempotencyKey the event id: a retried booking for the same event returns the same booking
     * @throws CarrierUnavailableException when the carrier failed transiently and a retry may succeed
     */
    CarrierBooking book(UUID idempotencyKey, UUID orderId, String country);
}
