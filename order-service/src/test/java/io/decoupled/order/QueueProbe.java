package io.decoupled.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.payloadoffloading.PayloadStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a real queue the way a consumer would (resolving a pointer to S3 with the payload store) and keeps what belongs
 * to one test (by order id), deleting
 * everything it reads so that tests sharing the emulator do not see each other's messages twice.
 */
public final class QueueProbe {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How the SNS Extended Client's pointer to an offloaded payload begins. */
    private static final String POINTER = "[\"software.amazon.payloadoffloading.PayloadS3Pointer\"";

    private final SqsClient sqs;
    private final PayloadStore payloads;
    private final String queueUrl;
    private final boolean snsEnvelope;
    private final Predicate<JsonNode> mine;
    private final List<Received> received = new ArrayList<>();

    /**
     * One delivered event: its body (unwrapped from the SNS envelope where needed, fetched from S3 where it was
     * offloaded), its message attributes, and whether it arrived as a pointer to S3 (claim check).
     */
    public record Received(JsonNode body, Map<String, MessageAttributeValue> attributes, boolean offloaded) {
        public String text(String field) {
            return body.path(field).asString();
        }
    }

    public QueueProbe(
            SqsClient sqs, PayloadStore payloads, String queueUrl, boolean snsEnvelope, Set<String> orderIds) {
        this.sqs = sqs;
        this.payloads = payloads;
        this.queueUrl = queueUrl;
        this.snsEnvelope = snsEnvelope;
        this.mine = body -> orderIds.contains(body.path("orderId").asString());
    }

    /** Receives until the queue answers empty; returns everything of this test received so far. */
    public synchronized List<Received> drain() {
        while (true) {
            var messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(0)
                            .messageAttributeNames("All"))
                    .messages();
            if (messages.isEmpty()) {
                return List.copyOf(received);
            }
            for (var message : messages) {
                var text = message.body();
                if (snsEnvelope) {
                    text = JSON.readTree(text).path("Message").asString();
                }
                boolean offloaded = text.startsWith(POINTER);
                var body = JSON.readTree(offloaded ? payloads.getOriginalPayload(text) : text);
                if (mine.test(body)) {
                    received.add(new Received(body, message.messageAttributes(), offloaded));
                }
                sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }
}
