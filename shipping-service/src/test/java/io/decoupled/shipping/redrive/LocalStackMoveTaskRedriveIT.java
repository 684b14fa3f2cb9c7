package io.decoupled.shipping.redrive;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.SharedAwsEnvironments;
import org.junit.jupiter.api.condition.EnabledIf;

/** LocalStack implements StartMessageMoveTask as AWS does; skipped where no Docker engine answers. */
@EnabledIf(value = "io.decoupled.localaws.LocalStackEnvironment#dockerAvailable", disabledReason = "no Docker engine")
class LocalStackMoveTaskRedriveIT extends EnvironmentRedriveContract {
    @Override
    AwsEnvironment environment() {
        return SharedAwsEnvironments.localStack();
    }

    @Override
    String expectedMode() {
        return RedriveTask.MOVE_TASK;
    }
}
