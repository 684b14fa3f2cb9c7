package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.localaws.AwsService;
import io.decoupled.shipping.LocalShipping;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stopping an idle consumer ends its long poll instead of sitting it out: the poll's 20 s are the whole shutdown
 * budget of a SIGTERM, and the consumer's receives block a poller on the synchronous client.
 */
class IdleStopIT {
    private static final Duration LONG_POLL = Duration.ofSeconds(20);

    @Test
    void stoppingEndsALongPollInFlightLongBeforeItsWaitTime() {
        var queue = LocalShipping.queuePair("idle-stop", Duration.ofSeconds(30));
        var receives = new ReceiveWatch();
        try (var client = LocalShipping.aws()
                .configure(SqsClient.builder(), AwsService.SQS)
                .overrideConfiguration(c -> c.addExecutionInterceptor(receives))
                .build()) {
            var consumer = new SqsQueueConsumer(
                    client,
                    new ConsumerProperties(
                            queue.url(),
                            4,
                            10,
                            10,
                            LONG_POLL,
                            Duration.ofMillis(100),
                            Duration.ofSeconds(20),
                            new ConsumerProperties.Heartbeat(
                                    true, Duration.ofSeconds(10), Duration.ofSeconds(5), null, Duration.ofMinutes(15)),
                            new ConsumerProperties.Retry(
                                    Duration.ofSeconds(2),
                                    Duration.ofMinutes(5),
                                    Duration.ofMinutes(10),
                                    5,
                                    Duration.ofSeconds(30))),
                    message -> "ok",
                    JsonMapper.builder().build(),
                    new SimpleMeterRegistry());
            consumer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> receives.inFlight.get() == 1);

            long stopping = System.nanoTime();
            consumer.stop();

            // Sat out, the poll would end 20 s after it started; interrupted, it ends at once. Half of it is the bound.
            await().atMost(LONG_POLL.dividedBy(2)).until(() -> receives.inFlight.get() == 0);
            assertThat(Duration.ofNanos(receives.lastEnded.get() - stopping))
                    .as("the long poll ended after stop() began, well within its wait time")
                    .isLessThan(LONG_POLL.dividedBy(2));
            assertThat(receives.started.get())
                    .as("an idle consumer long-polls with one receive")
                    .isOne();
        }
    }

    /** ReceiveMessage calls started, in flight, and when the last one ended (answered or failed). */
    private static final class ReceiveWatch implements ExecutionInterceptor {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicLong lastEnded = new AtomicLong();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ReceiveMessageRequest) {
                started.incrementAndGet();
                inFlight.incrementAndGet();
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            ended(context.request());
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            ended(context.request());
        }

        private void ended(Object request) {
            if (request instanceof ReceiveMessageRequest) {
                lastEnded.set(System.nanoTime());
                inFlight.decrementAndGet();
            }
        }
    }
}
