package io.decoupled.shipping;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.topology.OrderEventAttributes;
import io.decoupled.topology.QueueSpec;
import io.decoupled.topology.Redrive;
import io.decoupled.topology.Topology;
import io.decoupled.topology.provision.TopologyProvisioner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * The embedded emulators and PostgreSQL for shipping-service's integration tests, plus the few helpers
 * every test needs: contract-shaped OrderPlaced messages and queue pairs of a test's own.
 */
public final class LocalShipping {
    private LocalShipping() {}

    public static LocalAws aws() {
        // Both start once per JVM; PostgreSQL initialises in the background while the emulators start.
        warmUpPostgres();
        return SharedAwsEnvironments.embedded();
    }

    private static synchronized void warmUpPostgres() {
        if (postgresWarmUp == null) {
            postgresWarmUp = CompletableFuture.runAsync(LocalPostgres::shared);
        }
    }

    private static CompletableFuture<Void> postgresWarmUp;

    /** Points Spring Cloud AWS and the datasource at the embedded environment. */
    public static void register(DynamicPropertyRegistry registry, String database) {
        register(registry, aws(), database);
    }

    /** Points Spring Cloud AWS at the given environment and the datasource at a database of its own. */
    public static void register(DynamicPropertyRegistry registry, AwsEnvironment env, String database) {
        env.springProperties().forEach((key, value) -> registry.add(key, () -> value));
        LocalPostgres.shared().springProperties(database).forEach((key, value) -> registry.add(key, () -> value));
    }

    public static Map<String, Object> properties(String database) {
        var properties = new HashMap<String, Object>(aws().springProperties());
        properties.putAll(LocalPostgres.shared().springProperties(database));
        return properties;
    }

    /** A queue and its DLQ with the topology's redrive policy, under a name of the test's own. */
    public record QueuePair(String name, String url, String deadLetterName, String deadLetterUrl) {}

    public static QueuePair queuePair(String prefix, Duration visibility) {
        return queuePair(aws(), prefix, visibility);
    }

    public static QueuePair queuePair(AwsEnvironment env, String prefix, Duration visibility) {
        warmUpPostgres();
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        var dlq = QueueSpec.deadLetter(name + "-dlq");
        var queue = QueueSpec.worker(name, new Redrive(dlq.name(), Topology.MAX_RECEIVE_COUNT))
                .withVisibilityTimeout(visibility);
        var topology = new Topology(List.of(), List.of(dlq, queue), List.of(), List.of());
        try (var sqs = env.sqs();
                var sns = env.sns();
                var kinesis = env.kinesis()) {
            var resources = new TopologyProvisioner(sqs, sns, kinesis)
                    .provision(topology)
                    .resources();
            return new QueuePair(name, resources.queueUrl(name), dlq.name(), resources.queueUrl(dlq.name()));
        }
    }

    /** An OrderPlaced body as docs/contracts.md defines it. */
    public static String orderPlaced(UUID eventId, UUID orderId) {
        return """
                {"eventId":"%s","eventType":"OrderPlaced","orderId":"%s","customerId":"c-42","sessionId":"s-1",
                 "fulfillment":"SHIP","country":"DE","currency":"EUR","total":61.50,
                 "lines":[{"sku":"BOOK-1","quantity":2,"unitPrice":30.75}],"occurredAt":"2026-11-22T10:15:30Z","addedLater":true}""".formatted(eventId, orderId);
    }

    /** An OrderCancelled body as docs/contracts.md defines it: the cancellation saga's request for a SHIP order. */
    public static String orderCancelled(UUID eventId, UUID orderId) {
        return """
                {"eventId":"%s","eventType":"OrderCancelled","orderId":"%s","customerId":"c-42","sessionId":"s-1",
                 "fulfillment":"SHIP","country":"DE","currency":"EUR","total":61.50,
                 "lines":[{"sku":"BOOK-1","quantity":2,"unitPrice":30.75}],"occurredAt":"2026-11-22T10:15:32Z"}""".formatted(eventId, orderId);
    }

    /** The message attributes order-service sets on an OrderCancelled of a SHIP order. */
    public static Map<String, MessageAttributeValue> cancelAttributes() {
        var attributes = new HashMap<>(orderAttributes());
        attributes.put(OrderEventAttributes.EVENT_TYPE, string(OrderEventAttributes.ORDER_CANCELLED));
        return attributes;
    }

    public static Map<String, MessageAttributeValue> orderAttributes() {
        return Map.of(
                OrderEventAttributes.EVENT_TYPE, string(OrderEventAttributes.ORDER_PLACED),
                OrderEventAttributes.FULFILLMENT, string(OrderEventAttributes.SHIP),
                OrderEventAttributes.TOTAL,
                        MessageAttributeValue.builder()
                                .dataType("Number")
                                .stringValue("61.50")
                                .build(),
                OrderEventAttributes.COUNTRY, string("DE"));
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    /**
     * shipping-service in a JVM of its own on {@code queue} and {@code database}, 8 fixed workers and the given carrier
     * latency, with its output in {@code target/<logName>.log}; {@code extraArguments} are added as they are. C1 only
     * and the serial collector: such a JVM lives for seconds, so start-up time is what counts.
     */
    public static Process startProcess(
            QueuePair queue, String database, Duration carrierLatency, String logName, String... extraArguments)
            throws IOException {
        var java = ProcessHandle.current().info().command().orElseThrow();
        var command = new ArrayList<>(List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                ShippingApplication.class.getName(),
                "--server.port=0",
                "--shipping.consumer.queue=" + queue.name(),
                "--shipping.redrive.source-queue=" + queue.name(),
                "--shipping.redrive.dead-letter-queue=" + queue.deadLetterName(),
                "--shipping.consumer.workers=8",
                "--shipping.carrier.latency=" + carrierLatency.toMillis() + "ms",
                "--shipping.consumer.heartbeat.threshold=3s",
                "--shipping.autoscaling.enabled=false"));
        command.addAll(List.of(extraArguments));
        properties(database).forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = Path.of("target", logName + ".log");
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .directory(new File("."))
                .start();
    }
}
