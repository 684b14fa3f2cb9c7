package io.decoupled.shipping;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.SharedAwsEnvironments;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The shipping flow on the embedded emulators (fauxqs): redrive-all falls back to receive-send-delete. */
class ShippingFlowIT extends ShippingFlowContract {
    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LocalShipping.register(registry, SharedAwsEnvironments.embedded(), "shipping_flow");
    }

    @Override
    AwsEnvironment env() {
        return SharedAwsEnvironments.embedded();
    }

    @Override
    String expectedRedriveMode() {
        return "RECEIVE_SEND_DELETE";
    }
}
