package io.decoupled.console.stream;

import io.decoupled.console.panel.Panel;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Tails every shard of the clickstream (GetRecords from the trim horizon, following splits and merges) to
 * measure the ingest rate per shard from the records' arrival times, and compares what it saw with the KCL's
 * checkpoints in DynamoDB to show the consumer's lag per shard. It is a read-only observer with its own
 * iterators: it takes nothing from analytics-service and needs nothing from it but its lease table.
 */
@Component
@ConditionalOnProperty(name = "console.stream.backend", havingValue = "kinesis", matchIfMissing = true)
public class ClickstreamMonitor implements ClickstreamPanel {
    static final String SOURCE = "Kinesis ListShards/GetRecords + KCL lease table (DynamoDB)";
    private static final Logger log = LoggerFactory.getLogger(ClickstreamMonitor.class);

    private final KinesisClient kinesis;
    private final KclLeases leases;
    private final StreamProperties properties;
    private final Clock clock;
    private final Map<String, Tail> tails = new LinkedHashMap<>();
    private volatile Panel<StreamView> view;

    @Autowired
    ClickstreamMonitor(KinesisClient kinesis, DynamoDbClient dynamoDb, StreamProperties properties) {
        this(kinesis, dynamoDb, properties, Clock.systemUTC());
    }

    ClickstreamMonitor(KinesisClient kinesis, DynamoDbClient dynamoDb, StreamProperties properties, Clock clock) {
        this.kinesis = kinesis;
        this.leases = new KclLeases(dynamoDb, properties.leaseTable());
        this.properties = properties;
        this.clock = clock;
        this.view = Panel.unavailable(SOURCE, "not read yet");
    }

    @Override
    public Panel<StreamView> read() {
        return view;
    }

    @Scheduled(fixedDelayString = "${console.stream.poll-interval:1s}")
    public synchronized void poll() {
        try {
            for (Shard shard : listShards()) {
                tails.computeIfAbsent(shard.shardId(), id -> new Tail(shard, properties.maxTrackedRecordsPerShard()));
            }
            for (var tail : tails.values()) {
                readAvailable(tail);
            }
            view = Panel.of(SOURCE, snapshot(readLeases()));
        } catch (ResourceNotFoundException e) {
            view = Panel.unavailable(SOURCE, "stream " + properties.name() + " does not exist (not provisioned?)");
        } catch (SdkException e) {
            log.debug("clickstream poll failed", e);
            view = Panel.unavailable(SOURCE, "Kinesis did not answer: " + e.getMessage());
        }
    }

    private List<Shard> listShards() {
        return listShards(kinesis, properties.name());
    }

    /** Every shard of the stream, open and closed, across ListShards pages. */
    static List<Shard> listShards(KinesisClient kinesis, String stream) {
        var shards = new ArrayList<Shard>();
        var page = kinesis.listShards(r -> r.streamName(stream));
        shards.addAll(page.shards());
        while (page.nextToken() != null) {
            String token = page.nextToken();
            page = kinesis.listShards(r -> r.nextToken(token)); // a token request must not name the stream
            shards.addAll(page.shards());
        }
        return shards;
    }

    private Map<String, KclLeases.Lease> readLeases() {
        try {
            return leases.byShard();
        } catch (SdkException e) {
            // No DynamoDB (or no table yet) leaves the ingest numbers valid; only the lag becomes unknown.
            log.debug("could not read KCL leases", e);
            return Map.of();
        }
    }

    private void readAvailable(Tail tail) {
        if (tail.closed) {
            return;
        }
        for (int call = 0; call < properties.maxCallsPerShard(); call++) {
            if (tail.iterator == null) {
                tail.iterator = kinesis.getShardIterator(r -> {
                            r.streamName(properties.name()).shardId(tail.shard.shardId());
                            if (tail.lastSequence == null) {
                                r.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                            } else {
                                r.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                        .startingSequenceNumber(tail.lastSequence);
                            }
                        })
                        .shardIterator();
            }
            try {
                String iterator = tail.iterator;
                var response = kinesis.getRecords(r -> r.shardIterator(iterator).limit(10_000));
                response.records().forEach(tail::seen);
                tail.iterator = response.nextShardIterator();
                if (tail.iterator == null) {
                    tail.closed = true; // a parent after a split or merge: its children carry on
                    return;
                }
                Long behind = response.millisBehindLatest();
                if (response.records().isEmpty() || behind == null || behind == 0) {
                    return;
                }
            } catch (ExpiredIteratorException e) {
                tail.iterator = null;
            }
        }
    }

    private StreamView snapshot(Map<String, KclLeases.Lease> leasesByShard) {
        Instant now = clock.instant();
        Instant from = now.minus(properties.rateWindow());
        double windowSeconds = properties.rateWindow().toMillis() / 1000.0;
        var shards = new ArrayList<StreamView.Shard>();
        long seen = 0;
        double total = 0;
        for (var tail : tails.values()) {
            tail.forgetArrivalsBefore(from);
            double rate = tail.arrivals.size() / windowSeconds;
            var lease = leasesByShard.get(tail.shard.shardId());
            String checkpoint = lease == null ? null : lease.checkpoint();
            Long lag = tail.lag.applyCheckpoint(checkpoint);
            shards.add(new StreamView.Shard(
                    tail.shard.shardId(),
                    tail.shard.parentShardId(),
                    !tail.closed,
                    tail.seen,
                    rate,
                    lag,
                    tail.lag.overflowed(),
                    lease == null ? null : lease.owner(),
                    checkpoint));
            seen += tail.seen;
            total += rate;
        }
        shards.sort(Comparator.comparing(StreamView.Shard::shardId));
        return new StreamView(properties.name(), total, seen, leases.table().orElse(null), shards, "kinesis");
    }

    /** What the console knows of one shard. Only touched under the monitor's lock. */
    private static final class Tail {
        final Shard shard;
        final ShardLag lag;
        final ArrayDeque<Instant> arrivals = new ArrayDeque<>();
        String iterator;
        String lastSequence;
        long seen;
        boolean closed;

        Tail(Shard shard, int capacity) {
            this.shard = shard;
            this.lag = new ShardLag(capacity);
        }

        void seen(Record record) {
            seen++;
            lastSequence = record.sequenceNumber();
            lag.seen(record.sequenceNumber());
            if (record.approximateArrivalTimestamp() != null) {
                arrivals.addLast(record.approximateArrivalTimestamp());
            }
        }

        void forgetArrivalsBefore(Instant from) {
            // Arrivals come in order per shard, so the old ones sit at the head.
            while (!arrivals.isEmpty() && arrivals.peekFirst().isBefore(from)) {
                arrivals.removeFirst();
            }
        }
    }
}
