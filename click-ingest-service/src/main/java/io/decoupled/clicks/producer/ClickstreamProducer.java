package io.decoupled.clicks.producer;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The port click ingestion publishes through, so that it knows neither broker. Two adapters:
 * {@link BatchingKinesisProducer} (Kinesis, the default) and {@code io.decoupled.clicks.kafka.KafkaClickstreamProducer}
 * ({@code clickstream.backend=kafka}). Both keep the same promises:
 * <ul>
 * <li>all or none: the records are taken together, or {@link BufferFullException} (the bounded buffer is full:
 *     the caller answers 429) or {@link ProducerClosedException} (shutting down) is thrown and none was taken;</li>
 * <li>records of one partition key reach the stream in the order submitted (one shard or one partition per key);</li>
 * <li>the future completes when every record is durably on the stream, or exceptionally with a
 *     {@link RecordDeliveryException} once one of them was given up on (refused by the stream as such, not written
 *     before shutdown ended, or on Kafka not written within its delivery timeout); never silently.</li>
 * </ul>
 */
public interface ClickstreamProducer {

    /** Takes all the records or none; see the class comment for what the future and the exceptions mean. */
    CompletableFuture<Void> submit(List<OutgoingRecord> records);

    /** Records taken and not yet written or given up on. */
    int held();
}
