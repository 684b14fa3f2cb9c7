package io.decoupled.shipping.carrier;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo console's carrier switch: PUT a latency and failure rate, DELETE to return to the configured ones. Under
 * /admin, so it needs the admin token; and absent unless {@code shipping.demo.faults-enabled=true} (the embedded
 * demo sets it; the CDK deployment and compose never do), so a deployed service has no such endpoint at all.
 */
@RestController
@RequestMapping(path = "/admin/faults/carrier", produces = MediaType.APPLICATION_JSON_VALUE)
@ConditionalOnProperty(name = "shipping.demo.faults-enabled", havingValue = "true")
class CarrierFaultController {
    private final CarrierFaults faults;

    CarrierFaultController(CarrierFaults faults) {
        this.faults = faults;
    }

    /** The switch's body: the booking latency in milliseconds and the share of bookings that fail. */
    record Setting(
            @NotNull @Min(0) @Max(60_000) Long latencyMillis,
            @NotNull @DecimalMin("0") @DecimalMax("1") Double failureRate) {}

    @GetMapping
    Map<String, Object> current() {
        return view();
    }

    @PutMapping
    Map<String, Object> set(@Valid @RequestBody Setting setting) {
        faults.set(new CarrierFaults.Fault(Duration.ofMillis(setting.latencyMillis()), setting.failureRate()));
        return view();
    }

    @DeleteMapping
    Map<String, Object> reset() {
        faults.reset();
        return view();
    }

    private Map<String, Object> view() {
        var view = new LinkedHashMap<String, Object>();
        view.put("on", faults.current().isPresent());
        view.put("latencyMillis", faults.latency().toMillis());
        view.put("failureRate", faults.failureRate());
        return view;
    }
}
