package io.decoupled.analytics.clicks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.decoupled.analytics.ClickstreamKafkaProperties;
import io.decoupled.analytics.failures.RejectedRecords;
import io.decoupled.analytics.failures.Rejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.Mockito;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.kafka.support.Acknowledgment;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kafka listener's acknowledgement without a broker or a database: it commits a batch only once it is durable
 * (poison set aside included), and gives a batch back (nack: nothing committed, sought back) when the store stays
 * away past the patience or the service stops.
 */
class ClickKafkaListenerTest {
    private final ClickAggregates aggregates = mock(ClickAggregates.class);
    private final RejectedRecords rejected = mock(RejectedRecords.class);
    private final Acknowledgment ack = mock(Acknowledgment.class);
    private final StopSignal serviceStopping = new StopSignal();
    private final ClickstreamKafkaProperties properties = new ClickstreamKafkaProperties(
            "clicks", "analytics", 1, 500, Duration.ofMillis(300), Duration.ofSeconds(1));
    private final ClickKafkaListener listener = new ClickKafkaListener(
            new ClickBatches(
                    aggregates,
                    rejected,
                    JsonMapper.builder().findAndAddModules().build(),
                    new ClickMetrics(new SimpleMeterRegistry()),
                    new ClickTracing(null, null),
                    serviceStopping),
            properties);

    @Test
    void aBatchWithPoisonIsCommittedOnceTheGoodClicksAreCountedAndThePoisonSetAside() {
        var poison = UUID.randomUUID();
        var applied = new ArrayList<UUID>();
        when(aggregates.apply(anyList())).thenAnswer(i -> {
            List<ClickRecorded> clicks = i.getArgument(0);
            if (clicks.stream().anyMatch(c -> c.clickId().equals(poison))) {
                throw new UncategorizedSQLException(
                        "insert", "insert", new SQLException("invalid byte sequence 0x00", "22021"));
            }
            clicks.forEach(c -> applied.add(c.clickId()));
            return new ClickAggregates.Applied(clicks.size(), 0, 0);
        });
        var ids = List.of(UUID.randomUUID(), poison, UUID.randomUUID(), UUID.randomUUID());

        listener.onBatch(
                List.of(
                        record(1, 10, click(ids.get(0))),
                        record(0, 20, click(ids.get(1))),
                        record(1, 11, click(ids.get(2))),
                        record(0, 21, "not json"),
                        record(0, 22, click(ids.get(3)))),
                ack);

        assertThat(applied).containsExactly(ids.get(0), ids.get(2), ids.get(3));
        var rejection = ArgumentCaptor.forClass(Rejection.class);
        verify(rejected, Mockito.times(2)).setAside(rejection.capture());
        assertThat(rejection.getAllValues())
                .extracting(r -> r.location() + "@" + r.recordId())
                .containsExactlyInAnyOrder("clicks-0@20", "clicks-0@21");
        verify(ack).acknowledge();
        verify(ack, never()).nack(anyInt(), any());
    }

    @Test
    void aStoreAwayPastThePatienceGivesTheBatchBackUncommitted() {
        when(aggregates.apply(anyList())).thenThrow(new CannotGetJdbcConnectionException("database away"));

        listener.onBatch(List.of(record(0, 5, click(UUID.randomUUID()))), ack);

        verify(ack).nack(0, properties.retryPause());
        verify(ack, never()).acknowledge();
        verify(rejected, never()).setAside(any());
    }

    @Test
    void theServiceStoppingDuringAnOutageGivesTheBatchBackUncommitted() {
        when(aggregates.apply(anyList())).thenThrow(new CannotGetJdbcConnectionException("database away"));
        serviceStopping.stop();

        listener.onBatch(List.of(record(0, 5, click(UUID.randomUUID()))), ack);

        verify(ack).nack(0, properties.retryPause());
        verify(ack, never()).acknowledge();
    }

    @Test
    void aFailedCommitAfterADurableBatchIsNotAFailureOfTheBatch() {
        when(aggregates.apply(anyList())).thenReturn(new ClickAggregates.Applied(1, 0, 0));
        doThrow(new CommitFailedException("rebalanced")).when(ack).acknowledge();

        listener.onBatch(List.of(record(0, 5, click(UUID.randomUUID()))), ack);

        verify(aggregates).apply(anyList());
        verify(ack, never()).nack(anyInt(), any());
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String data) {
        return new ConsumerRecord<>(
                "clicks",
                partition,
                offset,
                "s-1".getBytes(StandardCharsets.UTF_8),
                data.getBytes(StandardCharsets.UTF_8));
    }

    private static String click(UUID id) {
        return "{\"clickId\":\"" + id + "\",\"sessionId\":\"s-1\",\"page\":\"/p\",\"timestamp\":\"" + Instant.EPOCH
                + "\"}";
    }
}
