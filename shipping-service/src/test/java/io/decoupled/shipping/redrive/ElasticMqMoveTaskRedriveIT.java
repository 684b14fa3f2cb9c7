package io.decoupled.shipping.redrive;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** ElasticMQ, inside this JVM, implements StartMessageMoveTask: the redrive must use the move task. */
class ElasticMqMoveTaskRedriveIT extends DeadLetterRedriverContract {
    private SQSRestServer server;
    private SqsClient sync;
    private SqsAsyncClient async;

    @BeforeAll
    void startElasticMq() throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // The server address makes the queue URLs it hands out point at this port.
        server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .start();
        server.waitUntilStarted();
        var endpoint = URI.create("http://127.0.0.1:" + port);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        sync = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build();
        async = SqsAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build();
    }

    @AfterAll
    void stopElasticMq() {
        sync.close();
        async.close();
        server.stopAndWait();
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
