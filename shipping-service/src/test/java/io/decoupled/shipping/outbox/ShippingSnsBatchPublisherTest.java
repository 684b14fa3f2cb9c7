package io.decoupled.shipping.outbox;

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
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * The FIFO relay's publisher against a scripted SNS: the same limits and isolation as order-service's (its own test
 * covers the per-entry retry logic the two share), plus what a FIFO entry must carry.
 */
class ShippingSnsBatchPublisherTest {
    private static final String ARN = "arn:aws:sns:us-east-1:000000000000:shipment-events.fifo";

    static final class ScriptedSns implements SnsClient {
        final Deque<Function<PublishBatchRequest, PublishBatchResponse>> script = new ArrayDeque<>();
        final List<PublishBatchRequest> calls = new ArrayList<>();

        @Override
        public PublishBatchResponse publishBatch(PublishBatchRequest request) {
            calls.add(request);
            return script.isEmpty() ? acceptAll(request) : script.poll().apply(request);
        }

        @Override
        public String serviceName() {
            return "sns";
        }

        @Override
        public void close() {}
    }

    private final ScriptedSns sns = new ScriptedSns();
    private final SnsBatchPublisher publisher = new SnsBatchPublisher(
            sns,
            topic -> Arn.fromString(ARN),
            "shipment-events.fifo",
            Retry.of(
                    "test",
                    RetryConfig.custom()
                            .maxAttempts(3)
                            .intervalFunction(IntervalFunction.of(Duration.ofMillis(1)))
                            .retryOnException(SnsBatchPublisher::isTransient)
                            .build()),
            CircuitBreaker.of("test", CircuitBreakerConfig.ofDefaults()));

    @Test
    void everyEntryCarriesItsOrderAsGroupAndItsEventIdForDeduplication() {
        var event = event(1, "{}");

        publisher.publish(List.of(event));

        var entry = sns.calls.getFirst().publishBatchRequestEntries().getFirst();
        assertThat(entry.messageGroupId()).isEqualTo(event.groupId());
        assertThat(entry.messageDeduplicationId()).isEqualTo(event.eventId().toString());
        assertThat(entry.messageAttributes().get("eventType").stringValue()).isEqualTo("ShipmentDispatched");
        assertThat(entry.messageAttributes().get("traceparent").stringValue()).startsWith("00-");
    }

    @Test
    void batchesAreCutAt256KiBAsWellAsAtTenEntries() {
        var batch = new ArrayList<PendingEvent>();
        for (int i = 0; i < 3; i++) {
            batch.add(event(i, "x".repeat(100 * 1024)));
        }

        var outcome = publisher.publish(batch);

        assertThat(sns.calls)
                .extracting(c -> c.publishBatchRequestEntries().size())
                .containsExactly(2, 1);
        assertThat(outcome.accepted()).containsExactlyElementsOf(batch);
    }

    @Test
    void anEntryTooLargeOnItsOwnIsRefusedWithoutACall() {
        var tooLarge = event(1, "x".repeat(SnsBatchPublisher.MAX_BATCH_BYTES + 1));

        var outcome = publisher.publish(List.of(tooLarge));

        assertThat(sns.calls).isEmpty();
        assertThat(outcome.rejected())
                .singleElement()
                .satisfies(r -> assertThat(r.code()).isEqualTo("EntryTooLarge"));
    }

    @Test
    void aWholeCallRefusedAsInvalidIsSplitSoThatOnlyTheEntryAtFaultIsRefused() {
        var batch = List.of(event(1, "{}"), event(2, "{}"), event(3, "{}"));
        var invalid = batch.get(1).entryId();
        for (int i = 0; i < 4; i++) {
            sns.script.add(request -> {
                if (request.publishBatchRequestEntries().stream().anyMatch(e -> e.id().equals(invalid))) {
                    throw SnsException.builder()
                            .statusCode(400)
                            .awsErrorDetails(AwsErrorDetails.builder()
                                    .errorCode("InvalidParameter")
                                    .errorMessage("bad")
                                    .build())
                            .build();
                }
                return acceptAll(request);
            });
        }

        var outcome = publisher.publish(batch);

        assertThat(outcome.accepted()).containsExactly(batch.get(0), batch.get(2));
        assertThat(outcome.rejected()).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(batch.get(1));
            assertThat(r.senderFault()).isTrue();
        });
        assertThat(outcome.callFailure()).isEmpty();
    }

    @Test
    void entriesAcceptedBeforeACallRefusedAsInvalidAreNotPublishedAgainWhenTheChunkIsSplit() {
        var batch = List.of(event(1, "{}"), event(2, "{}"), event(3, "{}"));
        var retried = batch.getLast().entryId();
        // The first attempt: two accepted, the third failed transiently inside the response.
        sns.script.add(request -> {
            var accepted = acceptAll(request).successful().stream()
                    .filter(ok -> !ok.id().equals(retried))
                    .toList();
            return PublishBatchResponse.builder()
                    .successful(accepted)
                    .failed(BatchResultErrorEntry.builder()
                            .id(retried)
                            .code("InternalError")
                            .senderFault(false)
                            .build())
                    .build();
        });
        // The retry of the third alone, and then its single-entry call, are refused as a whole (a 4xx).
        for (int i = 0; i < 2; i++) {
            sns.script.add(request -> {
                throw SnsException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("InvalidParameter")
                                .errorMessage("bad")
                                .build())
                        .build();
            });
        }

        var outcome = publisher.publish(batch);

        assertThat(sns.calls.getFirst().publishBatchRequestEntries()).hasSize(3);
        assertThat(sns.calls.subList(1, sns.calls.size()))
                .allSatisfy(call -> assertThat(call.publishBatchRequestEntries())
                        .extracting(PublishBatchRequestEntry::id)
                        .containsExactly(retried));
        assertThat(outcome.accepted()).containsExactly(batch.get(0), batch.get(1));
        assertThat(outcome.rejected()).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(batch.getLast());
            assertThat(r.code()).isEqualTo("InvalidParameter");
        });
        assertThat(outcome.callFailure()).isEmpty();
    }

    @Test
    void aCallRefusedForTheTopicItsKeyOrTheCredentialsIsACallFailureThatCountsAgainstNoEntry() {
        var batch = List.of(event(1, "{}"), event(2, "{}"), event(3, "{}"));
        for (var code : List.of("KMSThrottling", "AuthorizationError", "NotFound")) {
            sns.calls.clear();
            sns.script.clear();
            for (int i = 0; i < 10; i++) {
                sns.script.add(request -> {
                    throw SnsException.builder()
                            .statusCode(code.equals("NotFound") ? 404 : code.equals("AuthorizationError") ? 403 : 400)
                            .awsErrorDetails(AwsErrorDetails.builder()
                                    .errorCode(code)
                                    .errorMessage("scripted")
                                    .build())
                            .build();
                });
            }

            var outcome = publisher.publish(batch);

            assertThat(outcome.callFailure()).as(code).isPresent();
            assertThat(outcome.rejected()).as(code).isEmpty();
            assertThat(outcome.accepted()).as(code).isEmpty();
            assertThat(sns.calls)
                    .as(code)
                    .allSatisfy(call ->
                            assertThat(call.publishBatchRequestEntries()).hasSize(3));
        }
    }

    @Test
    void anEntryRefusedForTheTopicsKeyOnEveryAttemptStaysPendingAsACallFailureNotARejection() {
        var batch = List.of(event(1, "{}"), event(2, "{}"));
        var refused = batch.getLast().entryId();
        for (int i = 0; i < 10; i++) {
            sns.script.add(request -> {
                var ok = new ArrayList<PublishBatchResultEntry>();
                var failed = new ArrayList<BatchResultErrorEntry>();
                for (var entry : request.publishBatchRequestEntries()) {
                    if (entry.id().equals(refused)) {
                        failed.add(BatchResultErrorEntry.builder()
                                .id(entry.id())
                                .code("KMSDisabled")
                                .message("scripted")
                                .senderFault(true)
                                .build());
                    } else {
                        ok.add(PublishBatchResultEntry.builder()
                                .id(entry.id())
                                .messageId(UUID.randomUUID().toString())
                                .build());
                    }
                }
                return PublishBatchResponse.builder()
                        .successful(ok)
                        .failed(failed)
                        .build();
            });
        }

        var outcome = publisher.publish(batch);

        // Retried like an outage; then pending, counted against no entry (it would be parked after its attempts).
        assertThat(sns.calls).hasSize(3);
        assertThat(outcome.accepted()).containsExactly(batch.getFirst());
        assertThat(outcome.rejected()).isEmpty();
        assertThat(outcome.entryFailures()).isEmpty();
        assertThat(outcome.callFailure()).containsInstanceOf(SnsBatchPublisher.EntriesRefusedForEveryEntry.class);
        assertThat(SnsBatchPublisher.isTransient(outcome.callFailure().orElseThrow()))
                .as("recorded by the circuit breaker")
                .isTrue();
    }

    private static PendingEvent event(long id, String payload) {
        return new PendingEvent(
                id,
                UUID.randomUUID(),
                UUID.randomUUID().toString(),
                "ShipmentDispatched",
                payload,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                null,
                Instant.now(),
                0);
    }

    private static PublishBatchResponse acceptAll(PublishBatchRequest request) {
        return PublishBatchResponse.builder()
                .successful(request.publishBatchRequestEntries().stream()
                        .map(PublishBatchRequestEntry::id)
                        .map(id -> PublishBatchResultEntry.builder()
                                .id(id)
                                .messageId(UUID.randomUUID().toString())
                                .build())
                        .toList())
                .build();
    }
}
