package io.decoupled.shipping.carrier;

import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A demo's fault switch on the simulated carrier: a latency and failure rate that replace the configured ones until
 * reset. Reversible by design (reset returns to {@link CarrierProperties}); changed only through
 * {@link CarrierFaultController}, which exists only when {@code shipping.demo.faults-enabled=true}.
 */
@Component
class CarrierFaults {
    /** The switch's setting; what the simulated carrier uses while it is on. */
    record Fault(Duration latency, double failureRate) {}

    private final CarrierProperties configured;
    private volatile Fault fault;

    CarrierFaults(CarrierProperties configured) {
        this.configured = configured;
    }

    Duration latency() {
        var current = fault;
        return current != null ? current.latency() : configured.latency();
    }

    double failureRate() {
        var current = fault;
        return current != null ? current.failureRate() : configured.failureRate();
    }

    void set(Fault fault) {
        this.fault = fault;
    }

    void reset() {
        this.fault = null;
    }

    Optional<Fault> current() {
        return Optional.ofNullable(fault);
    }
}
