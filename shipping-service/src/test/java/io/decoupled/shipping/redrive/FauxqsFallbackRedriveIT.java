package io.decoupled.shipping.redrive;

import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.SharedAwsEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** fauxqs has no StartMessageMoveTask: the redrive must fall back to receive, send and delete. */
class FauxqsFallbackRedriveIT extends DeadLetterRedriverContract {
    private SqsClient sync;
    private SqsAsyncClient async;

    @BeforeAll
    void connect() {
        var aws = SharedAwsEnvironments.embedded();
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
        return RedriveTask.RECEIVE_SEND_DELETE;
    }
}
