package io.decoupled.shipping.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class CarrierFaultsTest {
    private final CarrierFaults faults = new CarrierFaults(new CarrierProperties(Duration.ZERO, 0));
    private final SimulatedCarrier carrier = new SimulatedCarrier(faults);

    @Test
    void theSwitchMakesEveryBookingFailAndTheResetRestoresTheConfiguredCarrier() {
        faults.set(new CarrierFaults.Fault(Duration.ZERO, 1.0));
        assertThatThrownBy(() -> carrier.book(UUID.randomUUID(), UUID.randomUUID(), "DE"))
                .isInstanceOf(CarrierUnavailableException.class);

        faults.reset();
        assertThat(carrier.book(UUID.randomUUID(), UUID.randomUUID(), "DE").trackingNumber())
                .isNotBlank();
        assertThat(faults.current()).isEmpty();
    }

    @Test
    void theSwitchReplacesTheConfiguredLatencyUntilReset() {
        faults.set(new CarrierFaults.Fault(Duration.ofMillis(750), 0.25));
        assertThat(faults.latency()).isEqualTo(Duration.ofMillis(750));
        assertThat(faults.failureRate()).isEqualTo(0.25);

        faults.reset();
        assertThat(faults.latency()).isZero();
        assertThat(faults.failureRate()).isZero();
    }

    @Test
    void theEndpointExistsOnlyWhenADemoEnablesIt() {
        var runner = new ApplicationContextRunner()
                .withBean(CarrierFaults.class, () -> faults)
                .withUserConfiguration(CarrierFaultController.class);

        runner.run(context -> assertThat(context).doesNotHaveBean(CarrierFaultController.class));
        runner.withPropertyValues("shipping.demo.faults-enabled=true")
                .run(context -> assertThat(context).hasSingleBean(CarrierFaultController.class));
    }
}
