package io.decoupled.order.outbox;

import io.awspring.cloud.sns.core.TopicArnResolver;
import io.decoupled.awscalls.AwsRefusals;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Batch publishing with per-entry failure handling. A PublishBatch call can succeed while SNS rejects some of its
 * entries; a publisher that only looks at the call's status loses those events. This one retries only the entries
 * that failed transiently (Resilience4j retry: exponential backoff with jitter), gives up at once on entries SNS
 * rejected as the sender's fault, and never republishes an entry SNS already accepted.
 *
 * <p>One bad entry must not stall the others (poison-entry isolation): batches are cut to SNS's 256 KiB as well as
 * its ten entries, and a whole call refused as the sender's fault (a 4xx: one entry made the request invalid) is split
 * into single-entry calls, so only the entry at fault is refused and the relay parks it after a bounded number of
 * attempts.
 *
 * <p>Claim check for an entry too large for SNS on its own (an order of thousands of lines): it is sent alone, after
 * the batches, through the {@link Offloader} (the SNS Extended Client), which puts the payload in S3 and publishes a
 * pointer with the entry's attributes, so attribute filter policies still route it. The extended client offloads only
 * {@code Publish}, not {@code PublishBatch}, hence the separate call. It is accepted, and marked published by the
 * relay, only once SNS accepted the pointer: a crash after the S3 put leaves an orphan object (the bucket's lifecycle
 * expires it) and the event is sent again, with a second object.
 *
 * <p>Uses the SDK's SnsClient directly, not SnsTemplate: batching and per-entry results are the point here. The
 * circuit breaker wraps only the call itself, so it opens when SNS is unreachable, not when one entry is refused.
 */
class SnsBatchPublisher {
    private final SnsClient sns;
    private final Offloader offloader;
    private final TopicArnResolver topics;
    private final String topic;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private volatile String topicArn;

    /** Publishes one message with its payload in S3 and a pointer on SNS: {@code AmazonSNSExtendedClient::publish}. */
    @FunctionalInterface
    interface Offloader {
        void publish(PublishRequest request);
    }

    SnsBatchPublisher(
            SnsClient sns,
            Offloader offloader,
            TopicArnResolver topics,
            String topic,
            Retry retry,
            CircuitBreaker circuitBreaker) {
        this.sns = sns;
        this.offloader = offloader;
        this.topics = topics;
        this.topic = topic;
        this.retry = retry;
        this.circuitBreaker = circuitBreaker;
    }

    /** Retry's signal that some entries are still unanswered after an attempt. */
    static final class EntriesFailed extends RuntimeException {
        EntriesFailed(int count) {
            super(count + " entries failed transiently", null, false, false);
        }
    }

    /**
     * SNS answered the call but refused entries with a code that lies with the topic, its key or the credentials
     * ({@link AwsRefusals#refusesEveryRequest(String)}): thrown inside the circuit breaker, so that it counts as SNS being
     * unusable, and retried; once the retries are spent the entries stay pending, never an attempt of theirs.
     */
    static final class EntriesRefusedForEveryEntry extends RuntimeException {
        EntriesRefusedForEveryEntry(String code, String message) {
            super(code + ": " + message, null, false, false);
        }
    }

    /**
     * Whether a failed call is worth repeating: network trouble, throttling and 5xx, and a refusal of every entry alike;
     * never a 4xx an entry caused.
     */
    static boolean isTransient(Throwable e) {
        if (e instanceof EntriesFailed
                || e instanceof EntriesRefusedForEveryEntry
                || e instanceof SdkClientException
                || e instanceof AwsServiceException s
                        && (s.statusCode() >= 500 || s.isThrottlingException() || AwsRefusals.refusesEveryRequest(s))) {
            return true;
        }
        return wrapped(e).map(SnsBatchPublisher::isTransient).orElse(false);
    }

    /**
     * The failure a plain {@link SdkException} wraps: the payload-offloading library reports S3's answers that way
     * ("Failed to store the message content in an S3 object"), so they are judged by what S3 said.
     */
    private static Optional<Throwable> wrapped(Throwable e) {
        return e.getClass() == SdkException.class && e.getCause() != null && e.getCause() != e
                ? Optional.of(e.getCause())
                : Optional.empty();
    }

    /** SNS's limit on one PublishBatch request: the sum of its messages and their attributes. */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** SNS's limit on entries per PublishBatch. */
    static final int MAX_BATCH_ENTRIES = 10;

    /**
     * SNS answered that the request itself is invalid (a 4xx other than throttling and other than a refusal of every
     * entry alike): repeating it cannot help.
     */
    static boolean refusedAsInvalid(Throwable e) {
        if (e instanceof AwsServiceException s) {
            return s.statusCode() >= 400
                    && s.statusCode() < 500
                    && !s.isThrottlingException()
                    && !AwsRefusals.refusesEveryRequest(s);
        }
        return wrapped(e).map(SnsBatchPublisher::refusedAsInvalid).orElse(false);
    }

    /**
     * The size decision of the claim check: an entry whose message and attributes are more than SNS accepts in one
     * request goes to S3, everything else stays in PublishBatch.
     */
    static boolean needsOffloading(PendingEvent event) {
        return event.bytes() > MAX_BATCH_BYTES;
    }

    /**
     * Publishes the batch in as many calls as the limits need. Stops at the first call that failed transiently
     * (SNS unreachable, throttled, the circuit open): the entries not sent stay pending, unanswered.
     */
    BatchOutcome publish(List<PendingEvent> batch) {
        var accepted = new ArrayList<PendingEvent>();
        var rejected = new ArrayList<BatchOutcome.Rejection>();
        var entryFailures = new ArrayList<BatchOutcome.Rejection>();
        Optional<Exception> callFailure = Optional.empty();
        var sendable = new ArrayList<PendingEvent>();
        var tooLarge = new ArrayList<PendingEvent>();
        for (var event : batch) {
            (needsOffloading(event) ? tooLarge : sendable).add(event);
        }
        for (var chunk : chunks(sendable)) {
            var outcome = publishChunk(chunk);
            if (outcome.callFailure()
                            .filter(SnsBatchPublisher::refusedAsInvalid)
                            .isPresent()
                    && chunk.size() > 1) {
                // The call as a whole was refused as invalid: find the entry at fault by sending each alone.
                outcome = splitAfterRefusal(chunk, outcome);
            }
            accepted.addAll(outcome.accepted());
            rejected.addAll(outcome.rejected());
            entryFailures.addAll(outcome.entryFailures());
            if (outcome.callFailure().isPresent()) {
                callFailure = outcome.callFailure();
                break;
            }
        }
        // After the batches, so that a large entry S3 or SNS is slow with never delays the small ones; not at all once
        // a call failed (SNS unreachable: they stay pending like the rest).
        for (var event : tooLarge) {
            if (callFailure.isPresent()) {
                break;
            }
            var outcome = publishOffloaded(event);
            accepted.addAll(outcome.accepted());
            rejected.addAll(outcome.rejected());
            entryFailures.addAll(outcome.entryFailures());
            callFailure = outcome.callFailure();
        }
        return new BatchOutcome(accepted, rejected, entryFailures, callFailure);
    }

    /**
     * One entry too large for SNS, published as an S3 pointer (with the same retries and circuit breaker as a batch).
     * Refused as invalid (by SNS, or by S3: no such bucket, access denied) it is a rejection the relay parks after its
     * attempts; failing transiently it stays pending, unanswered.
     */
    private BatchOutcome publishOffloaded(PendingEvent event) {
        var request = PublishRequest.builder()
                .topicArn(topicArn())
                .message(event.payload())
                .messageAttributes(attributes(event))
                .build();
        try {
            Retry.decorateRunnable(retry, () -> circuitBreaker.executeRunnable(() -> offloader.publish(request)))
                    .run();
            return new BatchOutcome(List.of(event), List.of(), List.of(), Optional.empty());
        } catch (RuntimeException e) {
            if (refusedAsInvalid(e)) {
                var rejection = rejection(event, e);
                return new BatchOutcome(List.of(), List.of(rejection), List.of(rejection), Optional.empty());
            }
            return new BatchOutcome(List.of(), List.of(), List.of(), Optional.of(e));
        }
    }

    /** A call refused as invalid, as the rejection of its one entry: the service's error code and message. */
    private static BatchOutcome.Rejection rejection(PendingEvent event, Throwable failure) {
        var refused = failure;
        while (!(refused instanceof AwsServiceException) && wrapped(refused).isPresent()) {
            refused = wrapped(refused).orElseThrow();
        }
        if (refused instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return new BatchOutcome.Rejection(
                    event,
                    aws.awsErrorDetails().errorCode(),
                    aws.awsErrorDetails().errorMessage(),
                    true);
        }
        return new BatchOutcome.Rejection(event, failure.getClass().getSimpleName(), failure.getMessage(), true);
    }

    /** Consecutive chunks of at most ten entries and {@link #MAX_BATCH_BYTES}, in claim order. */
    static List<List<PendingEvent>> chunks(List<PendingEvent> events) {
        var chunks = new ArrayList<List<PendingEvent>>();
        var current = new ArrayList<PendingEvent>();
        long bytes = 0;
        for (var event : events) {
            int size = event.bytes();
            if (!current.isEmpty() && (current.size() == MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
                chunks.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(event);
            bytes += size;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** What SNS counts against the request size: the message and each attribute's name, type and value, in UTF-8. */
    static int size(String payload, Map<String, OutboxMessage.Attribute> attributes) {
        int bytes = utf8(payload);
        for (var attribute : attributes.entrySet()) {
            bytes += utf8(attribute.getKey())
                    + utf8(attribute.getValue().dataType())
                    + utf8(attribute.getValue().value());
        }
        return bytes;
    }

    /**
     * The length of {@code text} in UTF-8, as {@code text.getBytes(UTF_8).length} gives it (an unpaired surrogate
     * encodes as one replacement byte), counted without encoding: every event is sized, a few times per claim.
     */
    static int utf8(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Sends alone each entry of a chunk whose call was refused as invalid, except those an earlier attempt of the
     * same chunk already settled: an entry SNS accepted is never published again (a retry of the rest may be the
     * call that was refused), and one it rejected as the sender's fault keeps that one rejection.
     */
    private BatchOutcome splitAfterRefusal(List<PendingEvent> chunk, BatchOutcome refused) {
        var settled = new HashSet<String>();
        refused.accepted().forEach(e -> settled.add(e.entryId()));
        var senderFaults = refused.rejected().stream()
                .filter(BatchOutcome.Rejection::senderFault)
                .toList();
        senderFaults.forEach(r -> settled.add(r.event().entryId()));
        var outcomes = new ArrayList<BatchOutcome>();
        outcomes.add(new BatchOutcome(refused.accepted(), senderFaults, refused.entryFailures(), Optional.empty()));
        for (var event : chunk) {
            if (!settled.contains(event.entryId())) {
                outcomes.add(publishChunk(List.of(event)));
            }
        }
        // A transient call failure among them is kept; a 4xx became a rejection.
        return BatchOutcome.merge(outcomes);
    }

    /** One PublishBatch call (with its retries); a single entry refused as a whole call becomes that entry's rejection. */
    private BatchOutcome publishChunk(List<PendingEvent> batch) {
        var remaining = new LinkedHashMap<String, PendingEvent>();
        batch.forEach(e -> remaining.put(e.entryId(), e));
        var accepted = new ArrayList<PendingEvent>();
        var rejected = new LinkedHashMap<String, BatchOutcome.Rejection>();
        var entryFailures = new ArrayList<BatchOutcome.Rejection>();
        Runnable attempt = () -> {
            var request =
                    remaining.values().stream().map(SnsBatchPublisher::entry).toList();
            circuitBreaker.executeRunnable(() -> {
                var response = sns.publishBatch(r -> r.topicArn(topicArn()).publishBatchRequestEntries(request));
                for (var ok : response.successful()) {
                    var event = remaining.remove(ok.id());
                    if (event != null) {
                        accepted.add(event);
                        rejected.remove(ok.id());
                    }
                }
                EntriesRefusedForEveryEntry refusal = null;
                for (var failed : response.failed()) {
                    var event = remaining.get(failed.id());
                    if (event == null) {
                        continue;
                    }
                    if (AwsRefusals.refusesEveryRequest(failed.code())) {
                        // A key or credentials problem reported per entry is no entry's fault: unanswered, not
                        // rejected, and a failure of the call for the breaker (thrown below, inside it).
                        rejected.remove(failed.id());
                        refusal = new EntriesRefusedForEveryEntry(failed.code(), failed.message());
                        continue;
                    }
                    boolean senderFault = Boolean.TRUE.equals(failed.senderFault());
                    var rejection = new BatchOutcome.Rejection(event, failed.code(), failed.message(), senderFault);
                    rejected.put(failed.id(), rejection);
                    entryFailures.add(rejection);
                    if (senderFault) {
                        remaining.remove(failed.id());
                    }
                }
                if (refusal != null) {
                    throw refusal;
                }
            });
            if (!remaining.isEmpty()) {
                throw new EntriesFailed(remaining.size());
            }
        };
        Optional<Exception> callFailure = Optional.empty();
        try {
            Retry.decorateRunnable(retry, attempt).run();
        } catch (EntriesFailed e) {
            // retries exhausted: the rejections recorded for the remaining entries are the outcome
        } catch (RuntimeException e) {
            if (batch.size() == 1
                    && remaining.size() == 1
                    && e instanceof AwsServiceException refused
                    && refusedAsInvalid(refused)) {
                var code = refused.awsErrorDetails() != null
                        ? refused.awsErrorDetails().errorCode()
                        : "HTTP " + refused.statusCode();
                var message = refused.awsErrorDetails() != null
                        ? refused.awsErrorDetails().errorMessage()
                        : refused.getMessage();
                var rejection = new BatchOutcome.Rejection(batch.getFirst(), code, message, true);
                rejected.put(batch.getFirst().entryId(), rejection);
                entryFailures.add(rejection);
            } else {
                callFailure = Optional.of(e);
            }
        }
        return new BatchOutcome(accepted, List.copyOf(rejected.values()), entryFailures, callFailure);
    }

    private String topicArn() {
        var arn = topicArn;
        if (arn == null) {
            arn = topic.startsWith("arn:")
                    ? topic
                    : topics.resolveTopicArn(topic).toString();
            topicArn = arn;
        }
        return arn;
    }

    private static PublishBatchRequestEntry entry(PendingEvent event) {
        return PublishBatchRequestEntry.builder()
                .id(event.entryId())
                .message(event.payload())
                .messageAttributes(attributes(event))
                .build();
    }

    private static Map<String, MessageAttributeValue> attributes(PendingEvent event) {
        return event.attributes().entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        a -> MessageAttributeValue.builder()
                                .dataType(a.getValue().dataType())
                                .stringValue(a.getValue().value())
                                .build()));
    }
}
