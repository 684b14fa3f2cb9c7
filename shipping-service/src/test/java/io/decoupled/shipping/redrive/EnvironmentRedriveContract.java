package io.decoupled.shipping.redrive;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.AwsService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The redrive contract on one of the shared environments (the embedded emulators or LocalStack). */
abstract class EnvironmentRedriveContract extends DeadLetterRedriverContract {
    private SqsClient sync;
    private SqsAsyncClient async;

    abstract AwsEnvironment environment();

    @BeforeAll
    void connect() {
        var aws = environment();
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
}
