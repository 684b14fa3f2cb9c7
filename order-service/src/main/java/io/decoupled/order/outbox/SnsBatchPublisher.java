package io.decoupled.order.outbox;

import io.awspring.cloud.sns.core.TopicArnResolver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/**
 * Batch publishing with per-entry failure handling. A PublishBatch call can succeed while SNS rejects some of its
 * entries; a publisher that only looks at the call's status loses those events. This one retries only the entries
 * that failed transiently (Resilience4j retry: exponential backoff with jitter), gives up at once on entries SNS
 * rejected as the sender's fault, and never republishes an entry SNS already accepted.
 *
 * <p>Uses the SDK's SnsClient directly, not SnsTemplate: batching and per-entry results are the point here. The
 * circuit breaker wraps only the call itself, so it opens when SNS is unreachable, not when one entry is refused.
 */
class SnsBatchPublisher {
    private final SnsClient sns;
    private final TopicArnResolver topics;
    private final String topic;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private volatile String topicArn;

    SnsBatchPublisher(SnsClient sns, TopicArnResolver topics, String topic, Retry retry, CircuitBreaker circuitBreaker) {
        this.sns = sns;
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

    /** Whether a failed call is worth repeating: network trouble, throttling and 5xx, never a 4xx. */
    static boolean isTransient(Throwable e) {
        return e instanceof EntriesFailed
                || e instanceof SdkClientException
                || e instanceof AwsServiceException s && (s.statusCode() >= 500 || s.isThrottlingException());
    }

    BatchOutcome publish(List<PendingEvent> batch) {
        var remaining = new LinkedHashMap<String, PendingEvent>();
        batch.forEach(e -> remaining.put(e.entryId(), e));
        var accepted = new ArrayList<PendingEvent>();
        var rejected = new LinkedHashMap<String, BatchOutcome.Rejection>();
        var entryFailures = new ArrayList<BatchOutcome.Rejection>();
        Runnable attempt = () -> {
            var request = remaining.values().stream().map(SnsBatchPublisher::entry).toList();
            var response = circuitBreaker.executeSupplier(() -> sns.publishBatch(r -> r.topicArn(topicArn()).publishBatchRequestEntries(request)));
            for (var ok : response.successful()) {
                var event = remaining.remove(ok.id());
                if (event != null) {
                    accepted.add(event);
                    rejected.remove(ok.id());
                }
            }
            for (var failed : response.failed()) {
                var event = remaining.get(failed.id());
                if (event != null) {
                    var rejection = new BatchOutcome.Rejection(event, failed.code(), failed.message(), Boolean.TRUE.equals(failed.senderFault()));
                    rejected.put(failed.id(), rejection);
                    entryFailures.add(rejection);
                    if (Boolean.TRUE.equals(failed.senderFault())) {
                        remaining.remove(failed.id());
                    }
                }
            }
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
            callFailure = Optional.of(e);
        }
        return new BatchOutcome(accepted, List.copyOf(rejected.values()), entryFailures, callFailure);
    }

    private String topicArn() {
        var arn = topicArn;
        if (arn == null) {
            arn = topic.startsWith("arn:") ? topic : topics.resolveTopicArn(topic).toString();
            topicArn = arn;
        }
        return arn;
    }

    private static PublishBatchRequestEntry entry(PendingEvent event) {
        Map<String, MessageAttributeValue> attributes = event.attributes().entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey,
                a -> MessageAttributeValue.builder().dataType(a.getValue().dataType()).stringValue(a.getValue().value()).build()));
        return PublishBatchRequestEntry.builder()
                .id(event.entryId())
                .message(event.payload())
                .messageAttributes(attributes)
                .build();
    }
}
