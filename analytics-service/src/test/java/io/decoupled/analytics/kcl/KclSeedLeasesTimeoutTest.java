package io.decoupled.analytics.kcl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * Seeding the leases waits for the lease table within a bound of its own ({@code seed-leases-timeout}), not the
 * worker's shutdown bound: against a DynamoDB whose lease table stays CREATING, it gives up after its bound and leaves
 * the leases to the KCL. The DynamoDB here is a stub HTTP endpoint answering DescribeTable, the one call that wait
 * makes; no stream is read.
 */
class KclSeedLeasesTimeoutTest {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    @Test
    void seedingLeavesTheLeasesToTheKclWhenTheLeaseTableIsNotActiveWithinItsOwnBound() throws IOException {
        var describes = new AtomicInteger();
        var dynamo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dynamo.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            exchange.getRequestBody().readAllBytes();
            String body = "{}";
            if (target != null && target.endsWith(".DescribeTable")) {
                describes.incrementAndGet();
                body = "{\"Table\":{\"TableName\":\"analytics-service\",\"TableStatus\":\"CREATING\"}}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        dynamo.start();
        var endpoint = URI.create("http://127.0.0.1:" + dynamo.getAddress().getPort());
        try (var dynamoDb = DynamoDbAsyncClient.builder()
                        .region(Region.US_EAST_1)
                        .credentialsProvider(CREDENTIALS)
                        .endpointOverride(endpoint)
                        .build();
                var kinesis = KinesisAsyncClient.builder()
                        .region(Region.US_EAST_1)
                        .credentialsProvider(CREDENTIALS)
                        .build();
                var cloudWatch = CloudWatchAsyncClient.builder()
                        .region(Region.US_EAST_1)
                        .credentialsProvider(CREDENTIALS)
                        .build()) {
            var properties = bind(Map.of(
                    "analytics.kcl.seed-leases", "true",
                    "analytics.kcl.seed-leases-timeout", "2s",
                    // Far beyond the test's bound: seeding must not wait for this one.
                    "analytics.kcl.shutdown-timeout", "10m"));
            var worker = new KclWorker(properties, kinesis, dynamoDb, cloudWatch, () -> {
                throw new UnsupportedOperationException("no shard is processed here");
            });
            try {
                int leases = assertTimeoutPreemptively(Duration.ofSeconds(90), worker::seedLeases);

                assertThat(leases).isZero();
                assertThat(describes)
                        .as("it waited for the table, polling, rather than failing at once")
                        .hasValueGreaterThanOrEqualTo(2);
            } finally {
                worker.destroy();
            }
        } finally {
            dynamo.stop(0);
        }
    }

    @Test
    void theSeedingBoundDefaultsToAMinute() {
        assertThat(bind(Map.of()).seedLeasesTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    private static KclProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("analytics.kcl", KclProperties.class);
    }
}
