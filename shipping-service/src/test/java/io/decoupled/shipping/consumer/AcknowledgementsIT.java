package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsService;
import io.decoupled.shipping.LocalShipping;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The batched deletes on the embedded emulator (fauxqs): a batch of ten goes at once, a partial one after the flush
 * interval and not before, a delete queued while another sender already times the flush is still sent on time, and
 * close sends what is queued. Each case counts the DeleteMessageBatch calls and what SQS deleted.
 */
class AcknowledgementsIT {
    private static final Duration NEVER_IN_THIS_TEST = Duration.ofMinutes(5);

    @Test
    void aBatchOfTenIsSentAtOnceWithoutWaitingForTheFlushInterval() {
        try (var fixture = new Fixture("ack-full", NEVER_IN_THIS_TEST, 2)) {
            var messages = fixture.received(10);
            messages.forEach(fixture.acknowledgements::acknowledge);

            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.deletes.deleted() == 10);
            assertThat(fixture.deletes.calls)
                    .singleElement()
                    .satisfies(call -> assertThat(call.entries()).isEqualTo(10));
            assertThat(fixture.inFlight()).isZero();
        }
    }

    @Test
    void aPartialBatchWaitsForTheFlushIntervalThenGoes() {
        var flush = Duration.ofSeconds(1);
        try (var fixture = new Fixture("ack-partial", flush, 2)) {
            var messages = fixture.received(3);
            long queued = System.nanoTime();
            messages.forEach(fixture.acknowledgements::acknowledge);

            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.deletes.deleted() == 3);
            assertThat(fixture.deletes.calls).singleElement().satisfies(call -> {
                assertThat(call.entries()).isEqualTo(3);
                assertThat(call.at() - queued).isGreaterThanOrEqualTo(flush.toNanos());
            });
            assertThat(fixture.inFlight()).isZero();
        }
    }

    /**
     * A first delete does not wake a sender while another one waits for an older delete's flush (one wake-up less per
     * batch under load). That sender has to find the new delete when its wait ends; and once no sender is timing, a
     * first delete has to wake one again. If either failed, the delete would wait for close, its message hidden and then
     * redelivered.
     */
    @Test
    void aDeleteIsSentAfterItsIntervalWhetherOrNotAnotherSenderIsTimingTheFlush() {
        var flush = Duration.ofSeconds(1);
        try (var fixture = new Fixture("ack-timing", flush, 2)) {
            var messages = fixture.received(12);
            // The first delete sets a sender timing its flush; nine more complete the batch, which the other sender (or
            // the same one) sends at once. A sender still timing saw the batch taken under it.
            messages.subList(0, 10).forEach(fixture.acknowledgements::acknowledge);
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.deletes.deleted() == 10);

            // Most likely while a sender is still timing the first delete's flush.
            assertSentAloneAfterTheInterval(fixture, messages.get(10), flush);
            // No sender is timing now: both sent what there was and wait for work.
            assertSentAloneAfterTheInterval(fixture, messages.get(11), flush);
            assertThat(fixture.inFlight()).isZero();
        }
    }

    private static void assertSentAloneAfterTheInterval(Fixture fixture, InFlightMessage message, Duration flush) {
        int callsBefore = fixture.deletes.calls.size();
        int deletedBefore = fixture.deletes.deleted();
        long queued = System.nanoTime();
        fixture.acknowledgements.acknowledge(message);
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.deletes.deleted() == deletedBefore + 1);
        var calls = fixture.deletes.calls;
        assertThat(calls.subList(callsBefore, calls.size())).singleElement().satisfies(call -> {
            assertThat(call.entries()).isEqualTo(1);
            assertThat(call.at() - queued).isGreaterThanOrEqualTo(flush.toNanos());
        });
    }

    @Test
    void closeSendsWhatIsQueuedWithoutWaitingForTheFlushInterval() {
        var fixture = new Fixture("ack-close", NEVER_IN_THIS_TEST, 2);
        try (fixture) {
            fixture.received(4).forEach(fixture.acknowledgements::acknowledge);
            long closing = System.nanoTime();
            fixture.acknowledgements.close();

            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(15));
            assertThat(fixture.deletes.deleted()).isEqualTo(4);
            assertThat(fixture.inFlight()).isZero();
        }
    }

    /** A fresh queue, messages received from it, an {@link Acknowledgements} on a client that records its deletes. */
    private static final class Fixture implements AutoCloseable {
        final DeleteRecorder deletes = new DeleteRecorder();
        final SqsClient sqs;
        final String queueUrl;
        final Acknowledgements acknowledgements;

        Fixture(String prefix, Duration flushInterval, int senders) {
            queueUrl = LocalShipping.queuePair(prefix, Duration.ofSeconds(60)).url();
            sqs = LocalShipping.aws()
                    .configure(SqsClient.builder(), AwsService.SQS)
                    .overrideConfiguration(c -> c.addExecutionInterceptor(deletes))
                    .build();
            acknowledgements = new Acknowledgements(sqs, queueUrl, flushInterval, senders, new SimpleMeterRegistry());
        }

        /** Sends this many messages and receives every one of them (hidden for 60 s: only a delete removes them). */
        List<InFlightMessage> received(int count) {
            for (int sent = 0; sent < count; sent += 10) {
                var entries = new ArrayList<SendMessageBatchRequestEntry>();
                for (int i = sent; i < Math.min(count, sent + 10); i++) {
                    entries.add(SendMessageBatchRequestEntry.builder()
                            .id("m" + i)
                            .messageBody("{\"n\":" + i + "}")
                            .build());
                }
                sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            }
            var messages = new ArrayList<InFlightMessage>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var now = System.nanoTime();
                sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10))
                        .messages()
                        .forEach(m -> messages.add(new InFlightMessage(
                                m, now, now + Duration.ofSeconds(60).toNanos())));
                return messages.size() == count;
            });
            return messages;
        }

        int inFlight() {
            return Integer.parseInt(sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        }

        @Override
        public void close() {
            acknowledgements.close();
            sqs.close();
        }
    }

    /** Every DeleteMessageBatch call: when it was sent ({@link System#nanoTime()}) and how many entries it carried. */
    private static final class DeleteRecorder implements ExecutionInterceptor {
        record Call(long at, int entries, int deleted) {}

        final List<Call> calls = new CopyOnWriteArrayList<>();

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof DeleteMessageBatchRequest request
                    && context.response() instanceof DeleteMessageBatchResponse response) {
                calls.add(new Call(
                        attributes.getAttribute(SENT),
                        request.entries().size(),
                        response.successful().size()));
            }
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            attributes.putAttribute(SENT, System.nanoTime());
        }

        int deleted() {
            return calls.stream().mapToInt(Call::deleted).sum();
        }

        private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("delete-sent");
    }
}
