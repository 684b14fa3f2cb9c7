package io.decoupled.localaws;

import org.junit.jupiter.api.condition.EnabledIf;

/** The environment contract on LocalStack in Testcontainers; skipped where no Docker engine answers. */
@EnabledIf(value = "io.decoupled.localaws.LocalStackEnvironment#dockerAvailable", disabledReason = "no Docker engine")
class LocalStackEnvironmentIT extends AwsEnvironmentContract {
    @Override
    AwsEnvironment environment() {
        return SharedAwsEnvironments.localStack();
    }
}
