package io.decoupled.shipping.consumer;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.shipping.LocalShipping;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The heartbeat on LocalStack in Testcontainers; needs Docker. */
@EnabledIf(value = "io.decoupled.localaws.LocalStackEnvironment#dockerAvailable", disabledReason = "no Docker engine")
class VisibilityHeartbeatLocalStackIT extends VisibilityHeartbeatContract {
    private static LocalShipping.QueuePair queue;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        queue = register(registry, SharedAwsEnvironments.localStack(), "shipping_heartbeat_localstack");
    }

    @Override
    AwsEnvironment env() {
        return SharedAwsEnvironments.localStack();
    }

    @Override
    LocalShipping.QueuePair queue() {
        return queue;
    }
}
