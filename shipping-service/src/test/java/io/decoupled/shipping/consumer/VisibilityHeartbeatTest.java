package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/** The heartbeat's one rule that a race can break: an extension never follows the message's release. */
class VisibilityHeartbeatTest {
    private static final long SECOND = 1_000_000_000L;

    /** Records the extensions SQS would receive, and accepts them all. */
    static final class RecordingSqs implements SqsClient {
        final List<ChangeMessageVisibilityBatchRequestEntry> extensions = new CopyOnWriteArrayList<>();

        @Override
        public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(
                ChangeMessageVisibilityBatchRequest request) {
            extensions.addAll(request.entries());
            return ChangeMessageVisibilityBatchResponse.builder()
                    .successful(request.entries().stream()
                            .map(e -> ChangeMessageVisibilityBatchResultEntry.builder()
                                    .id(e.id())
                                    .build())
                            .toList())
                    .build();
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public void close() {}
    }

    private final RecordingSqs sqs = new RecordingSqs();
    private final long[] now = {0};
    // Disabled ticker: the test ticks by hand, on a clock of its own.
    private final VisibilityHeartbeat heartbeat = new VisibilityHeartbeat(
            sqs,
            "queue",
            new ConsumerProperties.Heartbeat(
                    false, Duration.ofSeconds(10), Duration.ofSeconds(5), null, Duration.ofMinutes(15)),
            Duration.ofSeconds(30),
            new SimpleMeterRegistry(),
            () -> now[0]);
    private final InFlightMessage message = new InFlightMessage(
            Message.builder().messageId("m-1").receiptHandle("rh-1").build(), 0, 30 * SECOND);

    @Test
    void longWorkAboutToReappearIsExtended() {
        heartbeat.track(message);
        now[0] = 25 * SECOND;

        heartbeat.tick();

        assertThat(sqs.extensions)
                .singleElement()
                .satisfies(e -> assertThat(e.receiptHandle()).isEqualTo("rh-1"));
    }

    @Test
    void aMessageReleasedAfterItWasChosenForExtensionIsNotHiddenAgain() {
        heartbeat.track(message);
        now[0] = 25 * SECOND;
        // The worker finishes and releases the message between the heartbeat choosing it and sending the call.
        heartbeat.beforeSend(() -> heartbeat.untrack(message));

        heartbeat.tick();

        assertThat(sqs.extensions).isEmpty();
        assertThat(heartbeat.trackedCount()).isZero();
    }
}
