package io.decoupled.analytics.failures;

import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.errorhandler.AsyncErrorHandler;
import io.awspring.cloud.sqs.listener.errorhandler.ExponentialBackoffErrorHandler;
import io.awspring.cloud.sqs.listener.errorhandler.Jitter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * Pattern: classify, then set aside or back off (the error handler of every {@code @SqsListener} of analytics,
 * picked up by Spring Cloud AWS's default container factory).
 *
 * <p>A <b>poison</b> message (unreadable, incomplete, refused by PostgreSQL as data) is written to
 * {@code rejected_record} with its reason and raw body, counted, and acknowledged: it is not received four more
 * times on its way to the DLQ, and the reason, which a DLQ would not keep, is stored with it. A <b>transient</b>
 * failure (database away) is handed to Spring Cloud AWS's {@link ExponentialBackoffErrorHandler}, which makes the
 * message invisible for longer on each receive ({@link ListenerRetryProperties}): retried without a thread
 * sleeping, and a 2-minute outage does not spend the queue's 5 receives. Only a failure outlasting that budget
 * reaches the DLQ. On the FIFO queue the library stops processing the rest of a group's batch after a failure and
 * SQS delivers nothing later of that group while the failed message is in flight, so a retried update is never
 * overtaken by a later one of the same order; a poison one is set aside and the group moves on.
 */
@Component
class ListenerFailures implements AsyncErrorHandler<Object> {
    private static final Logger log = LoggerFactory.getLogger(ListenerFailures.class);

    private final RejectedRecords rejected;
    private final AsyncErrorHandler<Object> backoff;
    private final MeterRegistry registry;

    ListenerFailures(RejectedRecords rejected, ListenerRetryProperties retry, MeterRegistry registry) {
        this.rejected = rejected;
        this.registry = registry;
        this.backoff = ExponentialBackoffErrorHandler.builder()
                .initialVisibilityTimeoutSeconds(seconds(retry.initialVisibility()))
                .multiplier(retry.multiplier())
                .maxVisibilityTimeoutSeconds(seconds(retry.maxVisibility()))
                .jitter(Jitter.HALF)
                .build();
    }

    @Override
    public CompletableFuture<Void> handle(Message<Object> message, Throwable failure) {
        if (Failures.classify(failure) == Failures.Kind.POISON) {
            try {
                rejected.setAside(rejection(message, failure));
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException storeFailed) {
                // Setting aside needs the database too; if it is away, the message waits like any other.
                log.warn(
                        "Could not set aside a poison message ({}); backing off instead", Failures.reason(storeFailed));
            }
        } else {
            var queue = String.valueOf(message.getHeaders().get(SqsHeaders.SQS_QUEUE_NAME_HEADER));
            Counter.builder("analytics.listeners.retries")
                    .description("Messages left for a later receive after a transient failure")
                    .tag("queue", queue)
                    .register(registry)
                    .increment();
            log.warn(
                    "Transient failure on {}; the message comes back after its visibility timeout: {}",
                    queue,
                    Failures.reason(failure));
        }
        return backoff.handle(message, failure);
    }

    @Override
    public CompletableFuture<Void> handle(Collection<Message<Object>> messages, Throwable failure) {
        // The listeners take one message at a time; a batch listener would have to isolate its poison first.
        return backoff.handle(messages, failure);
    }

    private static Rejection rejection(Message<Object> message, Throwable failure) {
        var queue = String.valueOf(message.getHeaders().get(SqsHeaders.SQS_QUEUE_NAME_HEADER));
        var source = message.getHeaders().get(SqsHeaders.SQS_SOURCE_DATA_HEADER);
        String id;
        byte[] body;
        String group = null;
        if (source instanceof software.amazon.awssdk.services.sqs.model.Message sqs) {
            id = sqs.messageId();
            body = sqs.body() == null ? null : sqs.body().getBytes(StandardCharsets.UTF_8);
            group = sqs.attributesAsStrings().get("MessageGroupId");
        } else {
            id = String.valueOf(message.getHeaders().getId());
            body = String.valueOf(message.getPayload()).getBytes(StandardCharsets.UTF_8);
        }
        return new Rejection(queue, queue, id, group, body, Failures.reason(failure));
    }

    private static int seconds(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toSeconds()));
    }
}
