package io.decoupled.shipping;

import io.awspring.cloud.autoconfigure.sns.SnsClientCustomizer;
import io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer;
import io.decoupled.shipping.consumer.ConsumerSqsClientCustomizer;
import io.decoupled.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.SnsRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Faults injected into the service's own SNS and SQS clients, in front of the real emulator (off unless a test
 * turns them on). PublishBatch: whole calls refused with a 400 when they contain a given entry, and entries
 * withheld and reported as failed inside a successful response, as SNS does. DeleteMessageBatch: some entries
 * withheld and reported as failed, so those messages stay on the queue and come back after their visibility timeout.
 * What is not withheld really reaches the emulator.
 */
public final class AwsFaults implements ExecutionInterceptor {
    private static final ExecutionAttribute<List<String>> WITHHELD = new ExecutionAttribute<>("withheld-entries");
    private static final String DECOY = "decoy";

    private final Set<String> invalidCallEntries = ConcurrentHashMap.newKeySet();
    private final Set<String> transientFaultEntries = ConcurrentHashMap.newKeySet();
    private volatile boolean failEveryOtherDelete;
    private volatile boolean snsOutage;
    private final AtomicInteger invalidCalls = new AtomicInteger();
    private final AtomicInteger failedDeletes = new AtomicInteger();

    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        AwsFaults awsFaults() {
            return new AwsFaults();
        }

        @Bean
        SnsClientCustomizer injectSnsFaults(AwsFaults faults) {
            return builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                    .addExecutionInterceptor(faults)
                    .build());
        }

        @Bean
        SqsAsyncClientCustomizer injectSqsFaults(AwsFaults faults) {
            return builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                    .addExecutionInterceptor(faults)
                    .build());
        }

        /** The consumer's deletes go through its own synchronous client. */
        @Bean
        ConsumerSqsClientCustomizer injectConsumerSqsFaults(AwsFaults faults) {
            return builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                    .addExecutionInterceptor(faults)
                    .build());
        }
    }

    /** Fails every SNS call as if SNS were unreachable (SQS is not affected). */
    public void snsOutage(boolean on) {
        snsOutage = on;
    }

    /** Refuses every PublishBatch call containing this entry (by event id) as a whole, with a 400. */
    public void refuseCallsContaining(String entryId) {
        invalidCallEntries.add(entryId);
    }

    /** Fails this entry every time inside a successful PublishBatch response, as SNS's own fault (InternalError). */
    public void failTransientlyAlways(String entryId) {
        transientFaultEntries.add(entryId);
    }

    /** Withholds every second entry of each DeleteMessageBatch on shipping-orders and reports it failed, as SQS may. */
    public void failEveryOtherDelete(boolean on) {
        failEveryOtherDelete = on;
    }

    public int invalidCalls() {
        return invalidCalls.get();
    }

    public int failedDeletes() {
        return failedDeletes.get();
    }

    public void reset() {
        invalidCallEntries.clear();
        transientFaultEntries.clear();
        failEveryOtherDelete = false;
        snsOutage = false;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (snsOutage && context.request() instanceof SnsRequest) {
            throw SdkClientException.create("injected: SNS unreachable");
        }
        if (context.request() instanceof PublishBatchRequest request
                && request.publishBatchRequestEntries().stream().anyMatch(e -> invalidCallEntries.contains(e.id()))) {
            invalidCalls.incrementAndGet();
            throw SnsException.builder()
                    .statusCode(400)
                    .message("injected: the batch is invalid")
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("InvalidParameter")
                            .errorMessage("injected: the batch is invalid")
                            .build())
                    .build();
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof PublishBatchRequest request) {
            var kept = new ArrayList<PublishBatchRequestEntry>();
            var withheld = new ArrayList<String>();
            for (var entry : request.publishBatchRequestEntries()) {
                if (transientFaultEntries.contains(entry.id())) {
                    withheld.add(entry.id());
                } else {
                    kept.add(entry);
                }
            }
            attributes.putAttribute(WITHHELD, withheld);
            if (kept.isEmpty()) {
                // An empty batch is invalid; a decoy in a group of its own keeps the call real, and is hidden again.
                kept.add(PublishBatchRequestEntry.builder()
                        .id(DECOY)
                        .message("{\"decoy\":true}")
                        .messageGroupId(DECOY)
                        .messageDeduplicationId(UUID.randomUUID().toString())
                        .build());
            }
            return request.toBuilder().publishBatchRequestEntries(kept).build();
        }
        // Only the shipping-orders consumer's deletes: the delivery confirmations' listener deletes from its own queue
        // through an intercepted client too, and its redeliveries are not the consumer's duplicates the test counts.
        if (context.request() instanceof DeleteMessageBatchRequest request
                && failEveryOtherDelete
                && request.queueUrl().endsWith("/" + Topology.SHIPPING_ORDERS)
                && request.entries().size() > 1) {
            var kept = new ArrayList<>(request.entries());
            var withheld = new ArrayList<String>();
            for (int i = 1; i < request.entries().size(); i += 2) {
                kept.remove(request.entries().get(i));
                withheld.add(request.entries().get(i).id());
            }
            attributes.putAttribute(WITHHELD, withheld);
            return request.toBuilder().entries(kept).build();
        }
        return context.request();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        var withheld = attributes.getAttribute(WITHHELD);
        if (withheld == null) {
            return context.response();
        }
        if (context.response() instanceof PublishBatchResponse response) {
            var failed = new ArrayList<>(response.failed());
            withheld.forEach(id -> failed.add(BatchResultErrorEntry.builder()
                    .id(id)
                    .code("InternalError")
                    .message("injected partial failure")
                    .senderFault(false)
                    .build()));
            return response.toBuilder()
                    .successful(response.successful().stream()
                            .filter(e -> !e.id().equals(DECOY))
                            .toList())
                    .failed(failed)
                    .build();
        }
        if (context.response() instanceof DeleteMessageBatchResponse response) {
            failedDeletes.addAndGet(withheld.size());
            var failed = new ArrayList<>(response.failed());
            withheld.forEach(id -> failed.add(software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry.builder()
                    .id(id)
                    .code("InternalError")
                    .message("injected partial failure")
                    .senderFault(false)
                    .build()));
            return response.toBuilder().failed(failed).build();
        }
        return context.response();
    }
}
