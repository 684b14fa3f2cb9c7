package io.decoupled.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.localaws.AwsService;
import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The console's clients carry no endpoint; the embedded launcher points them at the emulators with the SDK's
 * own system properties. This proves the SDK reads each property under the exact name we set (the names are
 * case-sensitive: {@code aws.endpointUrlDynamoDb}, not {@code aws.endpointUrlDynamodb}).
 */
class SdkEndpointSettingsTest {

    @Test
    void everyClientTheConsoleBuildsTakesItsEndpointFromTheStandardSystemProperty() {
        Map<AwsService, Supplier<SdkClient>> clients = Map.of(
                AwsService.SQS,
                        () -> SqsClient.builder().region(Region.US_EAST_1).build(),
                AwsService.SNS,
                        () -> SnsClient.builder().region(Region.US_EAST_1).build(),
                AwsService.KINESIS,
                        () -> KinesisClient.builder().region(Region.US_EAST_1).build(),
                AwsService.DYNAMODB,
                        () -> DynamoDbClient.builder().region(Region.US_EAST_1).build());
        clients.forEach((service, client) -> {
            String previous = System.getProperty(service.systemProperty());
            var endpoint = URI.create("http://127.0.0.1:" + (40000 + service.ordinal()));
            System.setProperty(service.systemProperty(), endpoint.toString());
            try (var built = client.get()) {
                assertThat(built.serviceClientConfiguration().endpointOverride())
                        .as(service.systemProperty())
                        .contains(endpoint);
            } finally {
                if (previous == null) {
                    System.clearProperty(service.systemProperty());
                } else {
                    System.setProperty(service.systemProperty(), previous);
                }
            }
        });
    }
}
