package io.decoupled.localaws;

import io.decoupled.localaws.conformance.ConformancePage.Column;
import io.decoupled.localaws.conformance.Environment;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The SQS behaviours on LocalStack in Testcontainers; skipped where no Docker engine answers. */
@Environment(Column.LOCALSTACK)
@EnabledIf(value = "io.decoupled.localaws.LocalStackEnvironment#dockerAvailable", disabledReason = "no Docker engine")
class LocalStackSqsIT extends SqsContract {
    @Override
    SqsClient sqs() {
        return SharedAwsEnvironments.localStack().sqs();
    }

    @Override
    boolean supportsMoveTasks() {
        return true;
    }
}
