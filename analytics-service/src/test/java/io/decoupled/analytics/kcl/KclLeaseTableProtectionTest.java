package io.decoupled.analytics.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.leases.LeaseManagementConfig;

/**
 * The lease table holds the checkpoints: losing it makes a restarted consumer replay or skip the stream. In AWS it
 * is protected from deletion and recoverable to a point in time; the emulators get neither (dynalite has no PITR).
 */
class KclLeaseTableProtectionTest {

    @Test
    void theLeaseTableIsUnprotectedByDefaultForTheEmulators() {
        try (var kinesis = kinesis();
                var dynamoDb = dynamoDb()) {
            var leases = KclWorker.leaseManagement(config(kinesis, dynamoDb), bind(Map.of()));
            assertThat(leases.leaseTableDeletionProtectionEnabled()).isFalse();
            assertThat(leases.leaseTablePitrEnabled()).isFalse();
        }
    }

    @Test
    void protectionTurnsOnDeletionProtectionAndPointInTimeRecovery() {
        try (var kinesis = kinesis();
                var dynamoDb = dynamoDb()) {
            var leases = KclWorker.leaseManagement(
                    config(kinesis, dynamoDb), bind(Map.of("analytics.kcl.lease-table-protection", "true")));
            assertThat(leases.leaseTableDeletionProtectionEnabled()).isTrue();
            assertThat(leases.leaseTablePitrEnabled()).isTrue();
        }
    }

    @Test
    void theIntervalsStillComeFromTheProperties() {
        try (var kinesis = kinesis();
                var dynamoDb = dynamoDb()) {
            var leases = KclWorker.leaseManagement(
                    config(kinesis, dynamoDb),
                    bind(Map.of("analytics.kcl.failover-time", "7s", "analytics.kcl.lease-table-protection", "true")));
            assertThat(leases.failoverTimeMillis()).isEqualTo(7_000);
        }
    }

    private static LeaseManagementConfig config(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamoDb) {
        return new LeaseManagementConfig("analytics-service", "analytics-service", dynamoDb, kinesis, "worker-1");
    }

    private static KclProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("analytics.kcl", KclProperties.class);
    }

    private static KinesisAsyncClient kinesis() {
        return KinesisAsyncClient.builder().region(Region.US_EAST_1).build();
    }

    private static DynamoDbAsyncClient dynamoDb() {
        return DynamoDbAsyncClient.builder().region(Region.US_EAST_1).build();
    }
}
