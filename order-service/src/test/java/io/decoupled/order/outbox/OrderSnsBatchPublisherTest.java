package io.decoupled.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.SnsException;

/** The per-entry logic of the publisher against a scripted SNS: what is retried, what is kept, what is given up. */
class OrderSnsBatchPublisherTest {
    private static final String ARN = "arn:aws:sns:us-east-1:000000000000:order-events";

    /** An SNS that answers each PublishBatch with the next scripted reaction and records what it was sent. */
    static final class ScriptedSns implements SnsClient {
        final Deque<Function<PublishBatchRequest, PublishBatchResponse>> script = new ArrayDeque<>();
        final List<List<String>> calls = new ArrayList<>();

        @Override
        public PublishBatchResponse publishBatch(PublishBatchRequest request) {
            calls.add(request.publishBatchRequestEntries().stream()
                    .map(PublishBatchRequestEntry::id)
                    .toList());
            return script.isEmpty() ? acceptAll(request) : script.poll().apply(request);
        }

        @Override
        public String serviceName() {
            return "sns";
        }

        @Override
        public void close() {}
    }

    /** The claim check's stand-in: records what it was asked to offload, or fails with the scripted exception. */
    static final class ScriptedOffloader implements SnsBatchPublisher.Offloader {
        final List<PublishRequest> requests = new ArrayList<>();
        final Deque<RuntimeException> failures = new ArrayDeque<>();

        @Override
        public void publish(PublishRequest request) {
            requests.add(request);
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
        }
    }

    private final ScriptedSns sns = new ScriptedSns();
    private final ScriptedOffloader offloader = new ScriptedOffloader();
    private final SnsBatchPublisher publisher = new SnsBatchPublisher(
            sns,
            offloader,
            topic -> Arn.fromString(ARN),
            "order-events",
            Retry.of(
                    "test",
                    RetryConfig.custom()
                            .maxAttempts(3)
                            .intervalFunction(IntervalFunction.of(Duration.ofMillis(1)))
                            .retryOnException(SnsBatchPublisher::isTransient)
                            .build()),
            CircuitBreaker.of("test", CircuitBreakerConfig.ofDefaults()));

    @Test
    void onlyTheEntriesThatFailedTransientlyAreSentAgain() {
        var batch = events(4);
        sns.script.add(request -> respond(
                request,
                id -> id.equals(batch.get(1).entryId())
                        || id.equals(batch.get(3).entryId()),
                false));

        var outcome = publisher.publish(batch);

        assertThat(sns.calls).hasSize(2);
        assertThat(sns.calls.get(1))
                .containsExactly(batch.get(1).entryId(), batch.get(3).entryId());
        assertThat(outcome.accepted()).containsExactlyInAnyOrderElementsOf(batch);
        assertThat(outcome.rejected()).isEmpty();
        assertThat(outcome.entryFailures())
                .extracting(BatchOutcome.Rejection::event)
                .containsExactly(batch.get(1), batch.get(3));
        assertThat(outcome.callFailure()).isEmpty();
    }

    @Test
    void anEntryRejectedAsTheSendersFaultIsNotRetried() {
        var batch = events(3);
        sns.script.add(
                request -> respond(request, id -> id.equals(batch.getFirst().entryId()), true));

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
        sns.script.add(
                request -> respond(request, id -> id.equals(batch.getLast().entryId()), false));
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
            sns.script.add(
                    request -> respond(request, id -> id.equals(batch.getFirst().entryId()), false));
        }

        var outcome = publisher.publish(batch);

        assertThat(sns.calls).hasSize(3);
        assertThat(outcome.accepted()).containsExactly(batch.get(1));
        assertThat(outcome.rejected())
                .singleElement()
                .satisfies(r -> assertThat(r.code()).isEqualTo("InternalError"));
        assertThat(outcome.callFailure()).isEmpty();
    }

    @Test
    void batchesAreCutAt256KiBAsWellAsAtTenEntries() {
        var batch = new ArrayList<PendingEvent>();
        for (int i = 0; i < 5; i++) {
            batch.add(event(i, "x".repeat(100 * 1024)));
        }
        batch.addAll(events(10));

        var outcome = publisher.publish(batch);

        assertThat(sns.calls).extracting(List::size).containsExactly(2, 2, 10, 1);
        assertThat(outcome.accepted()).containsExactlyElementsOf(batch);
        for (var chunk : SnsBatchPublisher.chunks(batch)) {
            assertThat(chunk.stream()
                            .mapToInt(OrderSnsBatchPublisherTest::encodedSize)
                            .sum())
                    .isLessThanOrEqualTo(SnsBatchPublisher.MAX_BATCH_BYTES);
        }
    }

    @Test
    void theSizeDecisionOffloadsOnlyWhatIsOverSnssLimitWithItsAttributes() {
        var attributes = Map.of("total", OutboxMessage.Attribute.number(new BigDecimal("1234.50")));
        // "total" + "Number" + "1234.50": 18 bytes of attributes count against the limit too.
        int attributeBytes = "total".length() + "Number".length() + "1234.50".length();
        var fits = new PendingEvent(
                1,
                UUID.randomUUID(),
                "OrderPlaced",
                "x".repeat(SnsBatchPublisher.MAX_BATCH_BYTES - attributeBytes),
                attributes,
                Instant.now(),
                0);
        var overByOneByte = new PendingEvent(
                2,
                UUID.randomUUID(),
                "OrderPlaced",
                "x".repeat(SnsBatchPublisher.MAX_BATCH_BYTES - attributeBytes + 1),
                attributes,
                Instant.now(),
                0);
        // Multi-byte text is counted in UTF-8 bytes, as SNS counts it, not in characters.
        var multiByte = event(3, "é".repeat(SnsBatchPublisher.MAX_BATCH_BYTES / 2 + 1));

        assertThat(SnsBatchPublisher.needsOffloading(fits)).isFalse();
        assertThat(SnsBatchPublisher.needsOffloading(overByOneByte)).isTrue();
        assertThat(SnsBatchPublisher.needsOffloading(multiByte)).isTrue();
    }

    /** The size is counted without encoding; it must agree with the JDK's encoder, surrogates included. */
    @Test
    void utf8LengthIsWhatTheEncoderProduces() {
        var samples = new ArrayList<>(List.of(
                "", "order-events", "é", "€", "😀", "a😀b", "\uD800", "\uDC00", "a\uD800b", "\uDC00\uD800", "\uD83D"));
        var random = new Random(17);
        for (int n = 0; n < 500; n++) {
            var text = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                // ASCII, two- and three-byte characters, and surrogates paired or not.
                text.append((char)
                        switch (random.nextInt(5)) {
                            case 0 -> random.nextInt(0x80);
                            case 1 -> 0x80 + random.nextInt(0x780);
                            case 2 -> 0x800 + random.nextInt(0xD800 - 0x800);
                            case 3 -> 0xD800 + random.nextInt(0x800);
                            default -> 0xE000 + random.nextInt(0x2000);
                        });
            }
            samples.add(text.toString());
        }
        assertThat(samples)
                .allSatisfy(text -> assertThat(SnsBatchPublisher.utf8(text))
                        .as("UTF-8 length of %s", text.codePoints().boxed().toList())
                        .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void anEntryTooLargeForSnsIsPublishedAloneThroughS3WithItsAttributesAfterTheBatch() {
        var tooLarge = new PendingEvent(
                1,
                UUID.randomUUID(),
                "OrderPlaced",
                "x".repeat(SnsBatchPublisher.MAX_BATCH_BYTES + 1),
                Map.of(
                        "total",
                        OutboxMessage.Attribute.number(new BigDecimal("2500.00")),
                        "eventType",
                        OutboxMessage.Attribute.string("OrderPlaced")),
                Instant.now(),
                0);
        var small = events(1).getFirst();
        var batch = List.of(tooLarge, small);

        var outcome = publisher.publish(batch);

        // The small entry still goes in a PublishBatch, without the large one.
        assertThat(sns.calls).singleElement().isEqualTo(List.of(small.entryId()));
        assertThat(offloader.requests).singleElement().satisfies(request -> {
            assertThat(request.topicArn()).isEqualTo(ARN);
            assertThat(request.message()).isEqualTo(tooLarge.payload());
            // Attributes kept: attribute filter policies (shipping-orders, order-review) still route the pointer.
            assertThat(request.messageAttributes().get("total").dataType()).isEqualTo("Number");
            assertThat(request.messageAttributes().get("total").stringValue()).isEqualTo("2500.00");
            assertThat(request.messageAttributes().get("eventType").stringValue())
                    .isEqualTo("OrderPlaced");
        });
        assertThat(outcome.accepted()).containsExactlyInAnyOrder(small, tooLarge);
        assertThat(outcome.rejected()).isEmpty();
    }

    @Test
    void anOffloadFailingTransientlyIsRetriedAndThenLeftPendingNotCountedAgainstTheEntry() {
        var tooLarge = event(1, "x".repeat(SnsBatchPublisher.MAX_BATCH_BYTES + 1));
        // The payload-offloading library wraps S3's failures in a plain SdkException.
        for (int i = 0; i < 3; i++) {
            offloader.failures.add(SdkException.create(
                    "Failed to store the message content in an S3 object.",
                    S3Exception.builder().statusCode(503).build()));
        }

        var outcome = publisher.publish(List.of(tooLarge));

        assertThat(offloader.requests).hasSize(3);
        assertThat(outcome.accepted()).isEmpty();
        assertThat(outcome.rejected()).isEmpty();
        assertThat(outcome.callFailure()).isPresent();
    }

    @Test
    void anOffloadRefusedByS3IsTheEntrysRejectionWithS3sCode() {
        var tooLarge = event(1, "x".repeat(SnsBatchPublisher.MAX_BATCH_BYTES + 1));
        offloader.failures.add(SdkException.create(
                "Failed to store the message content in an S3 object.",
                S3Exception.builder()
                        .statusCode(404)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("NoSuchBucket")
                                .errorMessage("The specified bucket does not exist")
                                .build())
                        .build()));

        var outcome = publisher.publish(List.of(tooLarge));

        assertThat(offloader.requests).hasSize(1);
        assertThat(outcome.callFailure()).isEmpty();
        assertThat(outcome.rejected()).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(tooLarge);
            assertThat(r.code()).isEqualTo("NoSuchBucket");
            assertThat(r.senderFault()).isTrue();
        });
    }

    @Test
    void aWholeCallRefusedAsInvalidIsSplitSoThatOnlyTheEntryAtFaultIsRefused() {
        var batch = events(4);
        var invalid = batch.get(2).entryId();
        for (int i = 0; i < 5; i++) {
            sns.script.add(request -> {
                if (request.publishBatchRequestEntries().stream().anyMatch(e -> e.id().equals(invalid))) {
                    throw SnsException.builder()
                            .statusCode(400)
                            .awsErrorDetails(AwsErrorDetails.builder()
                                    .errorCode("InvalidParameter")
                                    .errorMessage("bad attribute")
                                    .build())
                            .build();
                }
                return acceptAll(request);
            });
        }

        var outcome = publisher.publish(batch);

        assertThat(sns.calls)
                .hasSize(5)
                .allSatisfy(call -> assertThat(call.size()).isIn(1, 4));
        assertThat(outcome.accepted()).containsExactlyInAnyOrder(batch.get(0), batch.get(1), batch.get(3));
        assertThat(outcome.rejected()).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(batch.get(2));
            assertThat(r.code()).isEqualTo("InvalidParameter");
            assertThat(r.senderFault()).isTrue();
        });
        assertThat(outcome.callFailure()).isEmpty();
    }

    @Test
    void entriesAcceptedBeforeACallRefusedAsInvalidAreNotPublishedAgainWhenTheChunkIsSplit() {
        var batch = events(3);
        var retried = batch.getLast().entryId();
        // The first attempt: two accepted, the third failed transiently inside the response.
        sns.script.add(request -> respond(request, id -> id.equals(retried), false));
        // The retry of the third alone, and then its single-entry call, are refused as a whole (a 4xx).
        for (int i = 0; i < 2; i++) {
            sns.script.add(request -> {
                throw SnsException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("InvalidParameter")
                                .errorMessage("bad attribute")
                                .build())
                        .build();
            });
        }

        var outcome = publisher.publish(batch);

        assertThat(sns.calls.getFirst()).hasSize(3);
        assertThat(sns.calls.subList(1, sns.calls.size()))
                .allSatisfy(call -> assertThat(call).containsExactly(retried));
        assertThat(outcome.accepted()).containsExactly(batch.get(0), batch.get(1));
        assertThat(outcome.rejected()).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(batch.getLast());
            assertThat(r.code()).isEqualTo("InvalidParameter");
            assertThat(r.senderFault()).isTrue();
        });
        assertThat(outcome.callFailure()).isEmpty();
    }

    @Test
    void aCallRefusedForTheTopicItsKeyOrTheCredentialsIsACallFailureThatCountsAgainstNoEntry() {
        var batch = events(3);
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
            assertThat(sns.calls).as(code).allSatisfy(call -> assertThat(call).hasSize(3));
        }
    }

    @Test
    void anEntryRefusedForTheTopicsKeyIsRetriedAsSnssFaultNotRejectedAsTheSenders() {
        var batch = events(2);
        var refused = batch.getLast().entryId();
        sns.script.add(request -> {
            var response = respond(request, id -> id.equals(refused), true);
            return response.toBuilder()
                    .failed(response.failed().getFirst().toBuilder()
                            .code("KMSDisabled")
                            .build())
                    .build();
        });

        var outcome = publisher.publish(batch);

        assertThat(sns.calls).hasSize(2);
        assertThat(outcome.accepted()).containsExactlyInAnyOrderElementsOf(batch);
        assertThat(outcome.rejected()).isEmpty();
    }

    @Test
    void anEntryRefusedForTheTopicsKeyOnEveryAttemptStaysPendingAsACallFailureNotARejection() {
        var batch = events(2);
        var refused = batch.getLast().entryId();
        for (int i = 0; i < 10; i++) {
            sns.script.add(request -> {
                var response = respond(request, id -> id.equals(refused), true);
                return response.failed().isEmpty()
                        ? response
                        : response.toBuilder()
                                .failed(response.failed().getFirst().toBuilder()
                                        .code("KMSDisabled")
                                        .build())
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

    @Test
    void aTransientCallFailureLeavesTheLaterChunksUnsent() {
        var batch = new ArrayList<PendingEvent>();
        for (int i = 0; i < 3; i++) {
            batch.add(event(i, "x".repeat(200 * 1024)));
        }
        for (int i = 0; i < 3; i++) {
            sns.script.add(request -> {
                throw SdkClientException.create("connection refused");
            });
        }

        var outcome = publisher.publish(batch);

        assertThat(sns.calls)
                .hasSize(3)
                .allSatisfy(call ->
                        assertThat(call).containsExactly(batch.getFirst().entryId()));
        assertThat(outcome.accepted()).isEmpty();
        assertThat(outcome.rejected()).isEmpty();
        assertThat(outcome.callFailure()).containsInstanceOf(SdkClientException.class);
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
        var attribute = captured.getFirst()
                .publishBatchRequestEntries()
                .getFirst()
                .messageAttributes()
                .get("total");
        assertThat(attribute.dataType()).isEqualTo("Number");
        assertThat(attribute.stringValue()).isEqualTo("1234.50");
    }

    private static PendingEvent event(long id, String payload) {
        return new PendingEvent(id, UUID.randomUUID(), "OrderPlaced", payload, Map.of(), Instant.now(), 0);
    }

    private static List<PendingEvent> events(int n) {
        var events = new ArrayList<PendingEvent>();
        for (int i = 0; i < n; i++) {
            events.add(new PendingEvent(
                    i + 1,
                    UUID.randomUUID(),
                    "OrderPlaced",
                    "{\"n\":" + i + "}",
                    Map.of("total", OutboxMessage.Attribute.number(new BigDecimal("1234.50"))),
                    Instant.now(),
                    0));
        }
        return events;
    }

    private static PublishBatchResponse acceptAll(PublishBatchRequest request) {
        return respond(request, id -> false, false);
    }

    private static PublishBatchResponse respond(
            PublishBatchRequest request, Predicate<String> fails, boolean senderFault) {
        var ok = new ArrayList<PublishBatchResultEntry>();
        var failed = new ArrayList<BatchResultErrorEntry>();
        for (var entry : request.publishBatchRequestEntries()) {
            if (fails.test(entry.id())) {
                failed.add(BatchResultErrorEntry.builder()
                        .id(entry.id())
                        .code(senderFault ? "InvalidParameter" : "InternalError")
                        .message("scripted")
                        .senderFault(senderFault)
                        .build());
            } else {
                ok.add(PublishBatchResultEntry.builder()
                        .id(entry.id())
                        .messageId(UUID.randomUUID().toString())
                        .build());
            }
        }
        return PublishBatchResponse.builder().successful(ok).failed(failed).build();
    }

    /** What SNS counts, by encoding: the message and each attribute's name, type and value. */
    private static int encodedSize(PendingEvent event) {
        int bytes = event.payload().getBytes(StandardCharsets.UTF_8).length;
        for (var attribute : event.attributes().entrySet()) {
            bytes += (attribute.getKey()
                            + attribute.getValue().dataType()
                            + attribute.getValue().value())
                    .getBytes(StandardCharsets.UTF_8)
                    .length;
        }
        return bytes;
    }
}
