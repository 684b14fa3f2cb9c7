package io.decoupled.shipping.carrier;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * A stand-in for a carrier's booking API: takes {@code latency}, fails with {@code failureRate} (the configured
 * ones, or the demo's fault switch while it is on: {@link CarrierFaults}), and derives
 * the booking from the idempotency key so a retried booking returns the same tracking number, as a real
 * carrier API with idempotency keys would.
 */
@Component
class SimulatedCarrier implements Carrier {
    private static final List<String> CARRIERS = List.of("DHL", "UPS", "DPD", "GLS");

    private final CarrierFaults settings;

    SimulatedCarrier(CarrierFaults settings) {
        this.settings = settings;
    }

    @Override
    public CarrierBooking book(UUID idempotencyKey, UUID orderId, String country) {
        try {
            Thread.sleep(settings.latency());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CarrierUnavailableException("booking interrupted");
        }
        if (settings.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.failureRate()) {
            throw new CarrierUnavailableException("simulated carrier outage");
        }
        String carrier = CARRIERS.get(Math.floorMod(orderId.hashCode(), CARRIERS.size()));
        String tracking = carrier + "-" + country + "-"
                + Long.toUnsignedString(idempotencyKey.getMostSignificantBits(), 36)
                        .toUpperCase();
        return new CarrierBooking(carrier, tracking);
    }
}
