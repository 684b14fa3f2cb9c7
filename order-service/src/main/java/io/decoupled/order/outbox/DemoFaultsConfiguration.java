package io.decoupled.order.outbox;

import io.awspring.cloud.autoconfigure.sns.SnsClientCustomizer;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo console's SNS switch, present only with {@code order.demo.faults-enabled=true}: the embedded demo sets it
 * (services listen on loopback there); compose and the CDK deployment never do, so a deployed order-service has neither
 * the interceptor nor the endpoint.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "order.demo.faults-enabled", havingValue = "true")
class DemoFaultsConfiguration {

    @Bean
    SnsOutageSwitch snsOutageSwitch() {
        return new SnsOutageSwitch();
    }

    @Bean
    SnsClientCustomizer snsOutageSwitchOnTheRelaysClient(SnsOutageSwitch outage) {
        return builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                .addExecutionInterceptor(outage)
                .build());
    }

    /** PUT turns SNS unreachable, DELETE ends the outage; GET says which. Conditional itself too: scanning finds it. */
    @RestController
    @ConditionalOnProperty(name = "order.demo.faults-enabled", havingValue = "true")
    @RequestMapping(path = "/demo/faults/sns", produces = MediaType.APPLICATION_JSON_VALUE)
    static class SnsOutageController {
        private final SnsOutageSwitch outage;

        SnsOutageController(SnsOutageSwitch outage) {
            this.outage = outage;
        }

        @GetMapping
        Map<String, Boolean> current() {
            return Map.of("unreachable", outage.isOn());
        }

        @PutMapping
        Map<String, Boolean> unreachable() {
            outage.set(true);
            return current();
        }

        @DeleteMapping
        Map<String, Boolean> reachable() {
            outage.set(false);
            return current();
        }
    }
}
