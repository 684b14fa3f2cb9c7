package io.decoupled.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

/** The per-entry logic of the publisher against a scripted SNS: what is retried, what is kept, what is given up. */
class SnsBatchPublisherTest {
    private static final String ARN = "arn:aws:sns:us-east-1:000000000000:order-events";

    /** An SNS that answers each PublishBatch with the next scripted reaction and records what it was sent. */
    static final class ScriptedSns implements SnsClient {
        final Deque<Function<PublishBatchRequest, PublishBatchResponse>> script = new ArrayDeque<>();
        final List<List<String>> calls = new ArrayList<>();

        @Override
        public PublishBatchResponse publishBatch(PublishBatchRequest request) {
            calls.add(request.publishBatchRequestEntries().stream().map(PublishBatchRequestEntry::id).toList());
            return script.isEmpty() ? acceptAll(request) : script.poll().apply(request);
        }

        @Override
        public String serviceName() {
            return "sns";
        }

        @Override
        public void close() {
        }
    }

    private final ScriptedSns sns = new ScriptedSns();
    private final SnsBatchPublisher publisher = new SnsBatchPublisher(sns, topic -> Arn.fromString(ARN), "order-events",
            Retry.of("test", RetryConfig.custom().maxAttempts(3).intervalFunction(IntervalFunction.of(Duration.ofMillis(1)))
                    .retryOnException(SnsBatchPublisher::isTransient).build()),
            CircuitBreaker.of("test", CircuitBreakerConfig.ofDefaults()));

    @Test
    void onlyTheEntriesThatFailedTransientlyAreSentAgain() {
        var batch = events(4);
        sns.script.add(request -> respond(request, id -> id.equals(batch.get(1).entryId()) || id.equals(batch.get(3).entryId()), false));

        var outcome = publisher.publish(batch);

        assertThat(sns.calls).hasSize(2);
        assertThat(sns.calls.get(1)).containsExactly(batch.get(1).entryId(), batch.get(3).entryId());
        assertThat(outcome.accepted()).containsExactlyInAnyOrderElementsOf(batch);
        assertThat(outcome.rejected()).isEmpty();
        assertThat(outcome.entryFailures()).extracting(BatchOutcome.Rejection::event).containsExactly(batch.get(1), batch.get(3));
        assertThat(outcome.callFailure()).isEmpty();
    }

    @Test
    void anEntryRejectedAsTheSendersFaultIsNotRetried() {
        var batch = events(3);
        sns.script.add(request -> respond(request, id -> id.equals(batch.getFirst().entryId()), true));

        var outcome = publisher.publish(batch);

        assertThat(sns.calls).hasSize(1);
        assertThat(outcome.accepted()).containsExactly(batch.get(1), batch.get(2));
        assertThat(outcome.rejected()).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(batch.getFirst());
            assertThat(r.senderFault()).isTrue();
        });
    }

    @Test
    void entriesAcceptedBeforeALaterAttemptFailedStayAccepted() {
        var batch = events(3);
        sns.script.add(request -> respond(request, id -> id.equals(batch.getLast().entryId()), false));
        sns.script.add(request -> {
            throw SdkClientException.create("connection reset");
        });
        sns.script.add(request -> {
            throw SdkClientException.create("connection reset");
        });

        var outcome = publisher.publish(batch);

        assertThat(sns.calls).hasSize(3);
        assertThat(outcome.accepted()).containsExactly(batch.get(0), batch.get(1));
        assertThat(outcome.callFailure()).containsInstanceOf(SdkClientException.class);
        assertThat(outcome.rejected()).extracting(BatchOutcome.Rejection::event).containsExactly(batch.getLast());
    }

    @Test
    void anEntryThatKeepsFailingIsReportedWithItsLastErrorAfterTheLastAttempt() {
        var batch = events(2);
        for (int i = 0; i < 3; i++) {
            sns.script.add(request -> respond(request, id -> id.equals(batch.getFirst().entryId()), false));
        }

        var outcome = publisher.publish(batch);

        assertThat(sns.calls).hasSize(3);
        assertThat(outcome.accepted()).containsExactly(batch.get(1));
        assertThat(outcome.rejected()).singleElement().satisfies(r -> assertThat(r.code()).isEqualTo("InternalError"));
        assertThat(outcome.callFailure()).isEmpty();
    }

    @Test
    void aNumberAttributeIsSentWithDataTypeNumber() {
        var captured = new ArrayList<PublishBatchRequest>();
        sns.script.add(request -> {
            captured.add(request);
            return acceptAll(request);
        });

        publisher.publish(events(1));

        assertThat(captured.getFirst().topicArn()).isEqualTo(ARN);
        var attribute = captured.getFirst().publishBatchRequestEntries().getFirst().messageAttributes().get("total");
        assertThat(attribute.dataType()).isEqualTo("Number");
        assertThat(attribute.stringValue()).isEqualTo("1234.50");
    }

    private static List<PendingEvent> events(int n) {
        var events = new ArrayList<PendingEvent>();
        for (int i = 0; i < n; i++) {
            events.add(new PendingEvent(i + 1, UUID.randomUUID(), "OrderPlaced", "{\"n\":" + i + "}",
                    Map.of("total", OutboxMessage.Attribute.number(new java.math.BigDecimal("1234.50"))), Instant.now(), 0));
        }
        return events;
    }

    private static PublishBatchResponse acceptAll(PublishBatchRequest request) {
        return respond(request, id -> false, false);
    }

    private static PublishBatchResponse respond(PublishBatchRequest request, java.util.function.Predicate<String> fails, boolean senderFault) {
        var ok = new ArrayList<PublishBatchResultEntry>();
        var failed = new ArrayList<BatchResultErrorEntry>();
        for (var entry : request.publishBatchRequestEntries()) {
            if (fails.test(entry.id())) {
                failed.add(BatchResultErrorEntry.builder().id(entry.id()).code(senderFault ? "InvalidParameter" : "InternalError")
                        .message("scripted").senderFault(senderFault).build());
            } else {
                ok.add(PublishBatchResultEntry.builder().id(entry.id()).messageId(UUID.randomUUID().toString()).build());
            }
        }
        return PublishBatchResponse.builder().successful(ok).failed(failed).build();
    }
}
