package io.decoupled.localaws;

import io.decoupled.localaws.conformance.ConformancePage.Column;
import io.decoupled.localaws.conformance.Environment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The SQS behaviours on ElasticMQ, started inside this JVM on a free loopback port. */
@Environment(Column.ELASTICMQ)
class ElasticMqSqsIT extends SqsContract {
    private SQSRestServer server;

    @Override
    SqsClient sqs() {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The server address makes the queue URLs it hands out point at this port.
        server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .start();
        server.waitUntilStarted();
        return SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AwsEnvironment.ACCESS_KEY, AwsEnvironment.SECRET_KEY)))
                .build();
    }

    @Override
    boolean supportsMoveTasks() {
        return true;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stopAndWait();
        }
    }
}
