package io.decoupled.shipping;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.topology.Topology;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test fixture: the accounting of a fault scenario on emulators and a database of its own. Reads the database
 * directly (not through the service, whose database may be cut), the queues' depths, and the shipment events that
 * reached {@code shipment-updates.fifo}, and publishes OrderPlaced events as order-service's relay does.
 */
final class ShippingLedger {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AwsEnvironment aws;
    private final String database;
    private final List<Map.Entry<String, String>> shipmentEvents = new ArrayList<>();

    ShippingLedger(AwsEnvironment aws, String database) {
        this.aws = aws;
        this.database = database;
    }

    long query(String sql) {
        try (var c = DriverManager.getConnection(LocalPostgres.shared().jdbcUrl(database), "postgres", "postgres");
                var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Shipments of these orders, and orders with more than one (the unique order id would refuse a second anyway). */
    long shipments(Set<UUID> orders) {
        return query("select count(*) from shipment where order_id in (" + inList(orders) + ")");
    }

    /** Messages in a queue, visible or in flight. */
    long depth(String queue) {
        try (var sqs = aws.sqs()) {
            var url = aws.topology().queueUrl(queue);
            return sqs
                    .getQueueAttributes(r -> r.queueUrl(url)
                            .attributeNamesWithStrings(
                                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                    .attributesAsStrings()
                    .values()
                    .stream()
                    .mapToLong(Long::parseLong)
                    .sum();
        }
    }

    /** Publishes OrderPlaced (SHIP) for these orders in one PublishBatch, as order-service's relay does. */
    void publishOrders(Map<UUID, UUID> eventIdByOrder) {
        var entries = eventIdByOrder.entrySet().stream()
                .map(e -> PublishBatchRequestEntry.builder()
                        .id(e.getValue().toString())
                        .message(LocalShipping.orderPlaced(e.getValue(), e.getKey()))
                        .messageAttributes(LocalShipping.orderAttributes())
                        .build())
                .toList();
        try (var sns = aws.sns()) {
            var response = sns.publishBatch(p ->
                    p.topicArn(aws.topology().topicArn(Topology.ORDER_EVENTS)).publishBatchRequestEntries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException(response.failed().size() + " entries refused");
            }
        }
    }

    /** Receives (and deletes) everything now on shipment-updates.fifo; returns all (event type, event id) pairs so far, by order id. */
    synchronized Map<String, List<String>> shipmentEventsByOrder() {
        try (var sqs = aws.sqs()) {
            var url = aws.topology().queueUrl(Topology.SHIPMENT_UPDATES);
            while (true) {
                var messages = sqs.receiveMessage(
                                r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                        .messages();
                if (messages.isEmpty()) {
                    break;
                }
                for (var message : messages) {
                    var body = JSON.readTree(message.body());
                    shipmentEvents.add(Map.entry(
                            body.path("orderId").asString(),
                            body.path("eventType").asString() + " "
                                    + body.path("eventId").asString()));
                    sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(message.receiptHandle()));
                }
            }
        }
        return shipmentEvents.stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    private static String inList(Set<UUID> ids) {
        return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
    }
}
