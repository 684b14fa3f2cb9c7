package io.decoupled.console.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/**
 * Reads the KCL's lease table in DynamoDB: per shard, who holds the lease and where it checkpointed. The
 * checkpoint is written only after analytics-service made a batch's effect durable, so it is the honest
 * "consumed up to here" that the lag is measured against.
 */
final class KclLeases {
    /** One lease as the KCL stores it; only the attributes the dashboard shows. */
    record Lease(String shardId, String owner, String checkpoint) {}

    private static final Duration DISCOVERY_RETRY = Duration.ofSeconds(15);

    private final DynamoDbClient dynamoDb;
    private final String configuredTable;
    private String table;
    private Instant nextDiscovery = Instant.MIN;

    KclLeases(DynamoDbClient dynamoDb, String configuredTable) {
        this.dynamoDb = dynamoDb;
        this.configuredTable = configuredTable;
    }

    Optional<String> table() {
        if (!configuredTable.isBlank()) {
            return Optional.of(configuredTable);
        }
        if (table == null && Instant.now().isAfter(nextDiscovery)) {
            nextDiscovery = Instant.now().plus(DISCOVERY_RETRY);
            table = discover();
        }
        return Optional.ofNullable(table);
    }

    /** Leases by shard id; empty while analytics-service has not created its table yet. */
    Map<String, Lease> byShard() {
        var name = table();
        if (name.isEmpty()) {
            return Map.of();
        }
        var leases = new HashMap<String, Lease>();
        for (var page : dynamoDb.scanPaginator(r -> r.tableName(name.get()).consistentRead(true))) {
            for (var item : page.items()) {
                String key = string(item, "leaseKey");
                // Since KCL 3.5 the lease table also holds the leader lock, the migration state and worker metrics
                // (entityType LEADER, CLIENT_VERSION_MIGRATION, WORKER_METRIC_STATS); only LEASE items are shards.
                String entityType = string(item, "entityType");
                if (key == null || (entityType != null && !entityType.equals("LEASE"))) {
                    continue;
                }
                // Multi-stream lease keys are "account:stream:epoch:shardId"; single-stream keys are the shard id.
                String shardId = key.substring(key.lastIndexOf(':') + 1);
                leases.put(shardId, new Lease(shardId, string(item, "leaseOwner"), string(item, "checkpoint")));
            }
        }
        return leases;
    }

    private String discover() {
        for (var name : dynamoDb.listTablesPaginator(r -> r.limit(100)).tableNames()) {
            if (name.endsWith("-CoordinatorState") || name.endsWith("-WorkerMetricStats")) {
                continue;
            }
            var keys = dynamoDb.describeTable(r -> r.tableName(name)).table().keySchema();
            if (keys.stream()
                    .anyMatch(k ->
                            k.keyType() == KeyType.HASH && k.attributeName().equals("leaseKey"))) {
                return name;
            }
        }
        return null;
    }

    private static String string(Map<String, AttributeValue> item, String attribute) {
        var value = item.get(attribute);
        return value == null ? null : value.s();
    }
}
