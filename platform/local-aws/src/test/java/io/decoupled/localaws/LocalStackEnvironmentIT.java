package io.decoupled.localaws;

import io.decoupled.localaws.conformance.ConformancePage.Column;
import io.decoupled.localaws.conformance.Environment;
import org.junit.jupiter.api.condition.EnabledIf;

/** The environment contract on LocalStack in Testcontainers; skipped where no Docker engine answers. */
@EnabledIf(value = "io.decoupled.localaws.LocalStackEnvironment#dockerAvailable", disabledReason = "no Docker engine")
@Environment(Column.LOCALSTACK)
class LocalStackEnvironmentIT extends AwsEnvironmentContract {
    @Override
    AwsEnvironment environment() {
        return SharedAwsEnvironments.localStack();
    }
}
