package io.decoupled.shipping;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.SharedAwsEnvironments;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The shipping flow on LocalStack in Testcontainers, where redrive-all is a message move task; needs Docker. */
@EnabledIf(value = "io.decoupled.localaws.LocalStackEnvironment#dockerAvailable", disabledReason = "no Docker engine")
class ShippingFlowLocalStackIT extends ShippingFlowContract {
    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LocalShipping.register(registry, SharedAwsEnvironments.localStack(), "shipping_flow_localstack");
    }

    @Override
    AwsEnvironment env() {
        return SharedAwsEnvironments.localStack();
    }

    @Override
    String expectedRedriveMode() {
        return "MESSAGE_MOVE_TASK";
    }
}
