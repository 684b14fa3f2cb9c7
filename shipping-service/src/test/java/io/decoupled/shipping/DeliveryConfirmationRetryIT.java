package io.decoupled.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A delivery confirmation that cannot be applied comes back on the delivery retry schedule
 * ({@code shipping.delivery.retry-visibility}, doubling), not after the queue's own 30 s visibility: with the queue's
 * 30 s, five receives, and so the DLQ, came after two minutes of a database outage, and the shipment was never
 * delivered. Here the schedule is cut to one second and the failure is a confirmation whose shipment never committed
 * (the same failing path as the database being away, and the one case that should reach the DLQ): it gets there within
 * seconds, which the queue's 30 s could not do in less than two minutes.
 */
@SpringBootTest(
        properties = {
            "shipping.delivery.retry-visibility=1s",
            "shipping.delivery.max-retry-visibility=1s",
            "shipping.autoscaling.enabled=false"
        })
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryConfirmationRetryIT {
    /** The delay queue of this test's own, with the topology's redrive policy and visibility. */
    static final LocalShipping.QueuePair deliveries = LocalShipping.queuePair("deliveries", Duration.ofSeconds(30));

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LocalShipping.register(registry, "shipping_delivery_retry");
        registry.add("shipping.delivery.queue", deliveries::name);
    }

    @Autowired
    JdbcClient jdbc;

    private SqsClient sqs;

    @BeforeAll
    void client() {
        sqs = LocalShipping.aws().sqs();
    }

    @AfterAll
    void close() {
        sqs.close();
    }

    @Test
    void aConfirmationThatCannotBeAppliedIsRetriedOnTheDeliveryScheduleNotTheQueuesVisibility() {
        var shipmentId = UUID.randomUUID();
        sqs.sendMessage(r -> r.queueUrl(deliveries.url())
                .messageBody("{\"shipmentId\":\"%s\",\"orderId\":\"%s\"}".formatted(shipmentId, UUID.randomUUID()))
                .delaySeconds(0));

        // Five receives a second or two apart; the queue's 30 s visibility would need at least 120 s.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> depth(deliveries.deadLetterUrl()) == 1);
        assertThat(jdbc.sql("select count(*) from shipment where id = ?")
                        .param(shipmentId)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private long depth(String url) {
        return Long.parseLong(sqs.getQueueAttributes(
                        r -> r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
