package io.decoupled.analytics.clicks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.decoupled.analytics.failures.RejectedRecords;
import io.decoupled.analytics.failures.Rejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.Mockito;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import tools.jackson.databind.json.JsonMapper;

/**
 * The processor's failure handling without the KCL or a database: what is applied, set aside and checkpointed
 * when the store refuses one record as poison, fails transiently, or stays away until the service stops.
 */
class ClickRecordProcessorTest {
    private final ClickAggregates aggregates = mock(ClickAggregates.class);
    private final RejectedRecords rejected = mock(RejectedRecords.class);
    private final RecordProcessorCheckpointer checkpointer = mock(RecordProcessorCheckpointer.class);
    private final StopSignal serviceStopping = new StopSignal();
    private final ClickRecordProcessor processor = new ClickRecordProcessor(new ClickBatches(
            aggregates,
            rejected,
            JsonMapper.builder().findAndAddModules().build(),
            new ClickMetrics(new SimpleMeterRegistry()),
            new ClickTracing(null, null),
            serviceStopping));
    private final List<List<UUID>> appliedBatches = new ArrayList<>();

    ClickRecordProcessorTest() {
        processor.initialize(InitializationInput.builder().shardId("shard-1").build());
    }

    @Test
    void aRecordTheStoreRefusesIsIsolatedByBisectionAndEveryOtherIsAppliedOnce() throws Exception {
        var poison = UUID.randomUUID();
        when(aggregates.apply(anyList())).thenAnswer(i -> {
            List<ClickRecorded> clicks = i.getArgument(0);
            if (clicks.stream().anyMatch(c -> c.clickId().equals(poison))) {
                throw new UncategorizedSQLException(
                        "insert", "insert", new SQLException("invalid byte sequence 0x00", "22021"));
            }
            appliedBatches.add(clicks.stream().map(ClickRecorded::clickId).toList());
            return new ClickAggregates.Applied(clicks.size(), 0, 0);
        });
        var ids = new ArrayList<UUID>();
        var records = new ArrayList<KinesisClientRecord>();
        for (int i = 0; i < 10; i++) {
            var id = i == 6 ? poison : UUID.randomUUID();
            ids.add(id);
            records.add(record(i, click(id)));
        }

        processor.processRecords(input(records));

        assertThat(appliedBatches.stream().flatMap(List::stream).toList())
                .as("applied once each, in order")
                .containsExactlyElementsOf(
                        ids.stream().filter(id -> !id.equals(poison)).toList());
        var rejection = ArgumentCaptor.forClass(Rejection.class);
        verify(rejected).setAside(rejection.capture());
        assertThat(rejection.getValue().recordId()).isEqualTo("6");
        assertThat(rejection.getValue().reason()).contains("invalid byte sequence");
        verify(checkpointer).checkpoint("9", 0L);
    }

    @Test
    void unreadableRecordsAreSetAsideAndTheRestAppliedInOneTransaction() throws Exception {
        when(aggregates.apply(anyList())).thenAnswer(i -> {
            List<ClickRecorded> clicks = i.getArgument(0);
            appliedBatches.add(clicks.stream().map(ClickRecorded::clickId).toList());
            return new ClickAggregates.Applied(clicks.size(), 0, 0);
        });
        processor.processRecords(input(List.of(
                record(0, click(UUID.randomUUID())),
                record(1, "not json"),
                record(2, click(UUID.randomUUID()).replace(Instant.EPOCH.toString(), "+300000-01-01T00:00:00Z")),
                record(3, click(UUID.randomUUID())))));

        assertThat(appliedBatches)
                .hasSize(1)
                .first()
                .asInstanceOf(InstanceOfAssertFactories.LIST)
                .hasSize(2);
        var rejection = ArgumentCaptor.forClass(Rejection.class);
        verify(rejected, Mockito.times(2)).setAside(rejection.capture());
        assertThat(rejection.getAllValues())
                .extracting(Rejection::reason)
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("not a click"),
                        r -> assertThat(r).startsWith("timestamp out of range"));
        verify(checkpointer).checkpoint("3", 0L);
    }

    @Test
    void aTransientFailureIsRetriedAndCheckpointedOnlyOnceStored() throws Exception {
        var failures = new int[] {3};
        when(aggregates.apply(anyList())).thenAnswer(i -> {
            if (failures[0]-- > 0) {
                throw new CannotGetJdbcConnectionException("database away");
            }
            return new ClickAggregates.Applied(1, 0, 0);
        });

        processor.processRecords(input(List.of(record(0, click(UUID.randomUUID())))));

        verify(aggregates, Mockito.times(4)).apply(anyList());
        verify(rejected, never()).setAside(any());
        verify(checkpointer).checkpoint("0", 0L);
    }

    @Test
    void theServiceStoppingEndsTheRetryAtOnceAndNothingIsCheckpointed() throws Exception {
        when(aggregates.apply(anyList())).thenThrow(new CannotGetJdbcConnectionException("database away"));
        var running = CompletableFuture.runAsync(() ->
                processor.processRecords(input(List.of(record(0, click(UUID.randomUUID()))))));
        // Let it reach the backoff between attempts (the waits grow to 5 s), then stop the service.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> verify(aggregates, Mockito.atLeast(4)).apply(anyList()));
        serviceStopping.stop();

        running.get(3, TimeUnit.SECONDS);
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());
        verify(checkpointer, never()).checkpoint();
        verify(checkpointer, never()).checkpoint(anyString(), anyLong());
        verify(rejected, never()).setAside(any());
    }

    @Test
    void aBatchTheDatabaseTakesIsStillAppliedAndCheckpointedWhileTheServiceStops() throws Exception {
        when(aggregates.apply(anyList())).thenReturn(new ClickAggregates.Applied(1, 0, 0));
        serviceStopping.stop();

        processor.processRecords(input(List.of(record(0, click(UUID.randomUUID())))));

        verify(aggregates).apply(anyList());
        verify(checkpointer).checkpoint("0", 0L);
    }

    private ProcessRecordsInput input(List<KinesisClientRecord> records) {
        return ProcessRecordsInput.builder()
                .records(records)
                .checkpointer(checkpointer)
                .build();
    }

    private static KinesisClientRecord record(int sequence, String data) {
        return KinesisClientRecord.builder()
                .sequenceNumber(Integer.toString(sequence))
                .subSequenceNumber(0)
                .partitionKey("s-1")
                .data(ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    private static String click(UUID id) {
        return "{\"clickId\":\"" + id + "\",\"sessionId\":\"s-1\",\"page\":\"/p\",\"timestamp\":\"" + Instant.EPOCH
                + "\"}";
    }
}
