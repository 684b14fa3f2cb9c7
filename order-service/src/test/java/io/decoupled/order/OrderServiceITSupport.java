package io.decoupled.order;

import com.jayway.jsonpath.JsonPath;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.topology.Topology;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import software.amazon.payloadoffloading.S3BackedPayloadStore;
import software.amazon.payloadoffloading.S3Dao;

/**
 * The one application context every integration test shares (so exactly one relay and one listener run per JVM):
 * the whole service on embedded PostgreSQL and the embedded SNS/SQS emulator, found only through Spring Cloud AWS
 * properties. The service's SNS client goes through {@link SnsFaults}, off unless a test turns it on.
 */
@SpringBootTest(
        properties = {
            "order.outbox.relay.poll-interval=200ms",
            // Seconds, not the hour of production: the event SnsOutageIT has SNS fail for good is parked within a test.
            "order.outbox.relay.transient-entry-patience=2s",
            "order.outbox.retry.initial-backoff=20ms",
            "order.outbox.circuit-breaker.wait-in-open-state=1s",
            "spring.cloud.aws.sqs.listener.poll-timeout=2s"
        })
@AutoConfigureMockMvc
@Import(SnsFaultsConfiguration.class)
public abstract class OrderServiceITSupport {

    @Autowired
    protected MockMvcTester mvc;

    @Autowired
    protected SnsFaults snsFaults;

    @Autowired
    protected OrderDatabaseFaults databaseFaults;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        aws().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        LocalPostgres.shared().springProperties("orders").forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterEach
    void healSns() {
        snsFaults.reset();
        databaseFaults.outage(false);
    }

    protected static LocalAws aws() {
        return SharedAwsEnvironments.embedded();
    }

    protected static QueueProbe probe(String queue, Set<String> orderIds) {
        return new QueueProbe(
                aws().sqs(),
                new S3BackedPayloadStore(new S3Dao(aws().s3()), Topology.LOCAL_PAYLOAD_BUCKET),
                aws().topology().queueUrl(queue),
                queue.equals(Topology.ANALYTICS_ORDERS),
                orderIds);
    }

    protected MvcTestResult post(String uri, String json) {
        return mvc.post()
                .uri(uri)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    /** A valid order body; {@code total} is the single line's unit price. */
    protected static String order(String customer, String fulfillment, String unitPrice) {
        return """
                {"customerId":"%s","sessionId":"s-%s","fulfillment":"%s","country":"DE","currency":"EUR",
                 "lines":[{"sku":"BOOK-1","quantity":1,"unitPrice":%s}]}""".formatted(customer, customer, fulfillment, unitPrice);
    }

    protected String placeOrder(String customer, String fulfillment, String unitPrice) {
        var result = post("/orders", order(customer, fulfillment, unitPrice));
        Assertions.assertThat(result).hasStatus(201);
        return JsonPath.read(body(result), "$.id");
    }

    protected static String body(MvcTestResult result) {
        try {
            return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
