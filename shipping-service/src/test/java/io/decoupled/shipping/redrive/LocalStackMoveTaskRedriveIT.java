package io.decoupled.shipping.redrive;

import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.SharedAwsEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** LocalStack implements StartMessageMoveTask as AWS does; skipped where no Docker engine answers. */
@EnabledIf(value = "io.decoupled.localaws.LocalStackEnvironment#dockerAvailable", disabledReason = "no Docker engine")
class LocalStackMoveTaskRedriveIT extends DeadLetterRedriverContract {
    private SqsClient sync;
    private SqsAsyncClient async;

    @BeforeAll
    void connect() {
        var aws = SharedAwsEnvironments.localStack();
        sync = aws.sqs();
        async = aws.configure(SqsAsyncClient.builder(), AwsService.SQS).build();
    }

    @AfterAll
    void disconnect() {
        sync.close();
        async.close();
    }

    @Override
    SqsAsyncClient asyncClient() {
        return async;
    }

    @Override
    SqsClient client() {
        return sync;
    }

    @Override
    String expectedMode() {
        return RedriveTask.MOVE_TASK;
    }
}
