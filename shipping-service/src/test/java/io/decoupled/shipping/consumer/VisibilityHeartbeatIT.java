package io.decoupled.shipping.consumer;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.shipping.LocalShipping;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The heartbeat on the embedded emulators (fauxqs). */
class VisibilityHeartbeatIT extends VisibilityHeartbeatContract {
    private static LocalShipping.QueuePair queue;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        queue = register(registry, SharedAwsEnvironments.embedded(), "shipping_heartbeat");
    }

    @Override
    AwsEnvironment env() {
        return SharedAwsEnvironments.embedded();
    }

    @Override
    LocalShipping.QueuePair queue() {
        return queue;
    }
}
