package io.decoupled.awscalls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Cost meter at the source: an SDK execution interceptor that counts each request sent to AWS (each attempt, since
 * AWS bills retries too) as {@code aws.requests{aws.service, operation}}, and what the same work would have taken one
 * item per call and with short polling as {@code aws.requests.unbatched}. Without it the bill is the first place an
 * unbatched loop or a busy-polling consumer shows up.
 *
 * <p>The unbatched count, per call: the number of entries of a batch call (SQS *Batch, SNS PublishBatch, Kinesis
 * PutRecords); for ReceiveMessage one call per message received, or for an empty long poll one call per second it
 * waited (a consumer polling once a second when idle); one for any other call. Fields are read by their wire names
 * ({@link SdkRequest#getValueForField}), so no service model is needed here.
 */
public final class AwsCallCounter implements ExecutionInterceptor {
    static final String REQUESTS = "aws.requests";
    static final String UNBATCHED = "aws.requests.unbatched";
    /** The list of items a batch call carries, by the wire name of its field. */
    private static final List<String> BATCH_FIELDS = List.of("Entries", "PublishBatchRequestEntries", "Records");

    private final MeterRegistry meters;

    public AwsCallCounter(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        counter(REQUESTS, attributes).increment();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        counter(UNBATCHED, attributes)
                .increment(unbatched(operation(attributes), context.request(), context.response()));
    }

    /** How many calls the work of this one would have taken without batching and long polling. */
    static double unbatched(String operation, SdkRequest request, SdkResponse response) {
        if (operation.equals("ReceiveMessage")) {
            int messages =
                    size(response.getValueForField("Messages", Object.class).orElse(null));
            int waited =
                    request.getValueForField("WaitTimeSeconds", Integer.class).orElse(0);
            return messages > 0 ? messages : Math.max(1, waited);
        }
        for (String field : BATCH_FIELDS) {
            var items = request.getValueForField(field, Object.class);
            if (items.isPresent()) {
                return Math.max(1, size(items.get()));
            }
        }
        return 1;
    }

    private Counter counter(String name, ExecutionAttributes attributes) {
        return Counter.builder(name)
                .description(
                        name.equals(REQUESTS)
                                ? "AWS API requests sent, by AWS service and operation"
                                : "AWS API requests the same work would take one item per call and with short polling")
                .tag("aws.service", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)))
                .tag("operation", operation(attributes))
                .register(meters);
    }

    private static String operation(ExecutionAttributes attributes) {
        return String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    private static int size(Object items) {
        return items instanceof Collection<?> c ? c.size() : items instanceof Map<?, ?> m ? m.size() : 0;
    }
}
