package io.decoupled.clicks.click;

import io.decoupled.clicks.producer.BatchingKinesisProducer;
import io.decoupled.clicks.producer.OutgoingRecord;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.core.SdkBytes;
import tools.jackson.databind.json.JsonMapper;

/** Turns accepted clicks into clickstream records keyed by session and hands them to the producer, all or none. */
@Service
class ClickIngestion {
    private final BatchingKinesisProducer producer;
    private final JsonMapper json;
    private final Clock clock;

    ClickIngestion(BatchingKinesisProducer producer, JsonMapper json, Clock clock) {
        this.producer = producer;
        this.json = json;
        this.clock = clock;
    }

    record Ingested(List<ClickId> clickIds, CompletableFuture<Void> written) {
    }

    Ingested ingest(List<ClickRequest> requests) {
        var receivedAt = clock.instant();
        var events = requests.stream().map(r -> ClickRecorded.accept(r, receivedAt)).toList();
        var records = events.stream()
                .map(e -> new OutgoingRecord(e.sessionId().value(), SdkBytes.fromByteArrayUnsafe(json.writeValueAsBytes(e))))
                .toList();
        var written = producer.submit(records);
        return new Ingested(events.stream().map(ClickRecorded::clickId).toList(), written);
    }
}
