package io.decoupled.shipping.outbox;

import io.awspring.cloud.sns.core.TopicsListingTopicArnResolver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/**
 * Transactional outbox, the relaying side (polling publisher). Each cycle claims pending rows with
 * {@code FOR UPDATE SKIP LOCKED}, publishes them in one PublishBatch to the FIFO topic (group = order id,
 * deduplication id = event id) and marks published only what SNS accepted, in one transaction. A crash
 * between publish and commit publishes the batch again with the same deduplication ids, which SNS FIFO
 * drops within its five-minute window and consumers deduplicate after it.
 */
@Component
class OutboxRelay implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxRepository repository;
    private final SnsClient sns;
    private final TransactionTemplate transactions;
    private final OutboxProperties settings;
    private final Counter published;
    private final Counter failed;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private volatile String topicArn;
    private Thread worker;

    OutboxRelay(OutboxRepository repository, SnsClient sns, TransactionTemplate transactions, OutboxProperties settings, MeterRegistry meters) {
        this.repository = repository;
        this.sns = sns;
        this.transactions = transactions;
        this.settings = settings;
        this.published = Counter.builder("shipping.outbox.published").description("Shipment events SNS accepted").register(meters);
        this.failed = Counter.builder("shipping.outbox.failed").description("Shipment events SNS refused or could not be reached for").register(meters);
        Gauge.builder("shipping.outbox.pending", repository, r -> running ? r.countPending() : Double.NaN).register(meters);
    }

    /** Publishes one batch; returns how many rows it claimed. */
    int relayOnce() {
        Integer claimed = transactions.execute(status -> {
            var batch = repository.claim(settings.batchSize());
            if (batch.isEmpty()) {
                return 0;
            }
            var entries = new ArrayList<PublishBatchRequestEntry>();
            for (int i = 0; i < batch.size(); i++) {
                var event = batch.get(i);
                entries.add(PublishBatchRequestEntry.builder().id(Integer.toString(i)).message(event.payload())
                        .messageGroupId(event.groupId()).messageDeduplicationId(event.eventId().toString())
                        .messageAttributes(attributes(event))
                        .build());
            }
            var response = sns.publishBatch(r -> r.topicArn(topicArn()).publishBatchRequestEntries(entries));
            List<Long> accepted = response.successful().stream().map(ok -> batch.get(Integer.parseInt(ok.id())).id()).toList();
            repository.markPublished(accepted);
            published.increment(accepted.size());
            for (var refused : response.failed()) {
                var event = batch.get(Integer.parseInt(refused.id()));
                repository.recordFailure(event.id(), refused.code() + ": " + refused.message());
                failed.increment();
                log.warn("SNS refused event {}: {} {}", event.eventId(), refused.code(), refused.message());
            }
            return batch.size();
        });
        return claimed == null ? 0 : claimed;
    }

    private String topicArn() {
        if (topicArn == null) {
            topicArn = settings.topic().startsWith("arn:") ? settings.topic()
                    : new TopicsListingTopicArnResolver(sns).resolveTopicArn(settings.topic()).toString();
        }
        return topicArn;
    }

    void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void loop() {
        while (running) {
            try {
                if (relayOnce() < settings.batchSize()) {
                    pause();
                }
            } catch (RuntimeException e) {
                failed.increment();
                log.warn("Outbox relay cycle failed; the events stay pending and are retried", e);
                pause();
            }
        }
    }

    private void pause() {
        try {
            if (wakeUps.tryAcquire(settings.pollInterval().toNanos(), TimeUnit.NANOSECONDS)) {
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public synchronized void start() {
        if (running || !settings.enabled()) {
            return;
        }
        running = true;
        worker = Thread.ofVirtual().name("outbox-relay").start(this::loop);
    }

    /** Stops after the consumer (a lower phase stops later), so the consumer's last events are still relayed. */
    @Override
    public synchronized void stop() {
        running = false;
        wakeUps.release();
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2000;
    }

    /** {@code eventType}, and the W3C trace context stored with the row (so consumers continue the order's trace). */
    private static Map<String, MessageAttributeValue> attributes(PendingEvent event) {
        var attributes = new java.util.LinkedHashMap<String, MessageAttributeValue>();
        attributes.put("eventType", MessageAttributeValue.builder().dataType("String").stringValue(event.eventType()).build());
        if (event.traceparent() != null) {
            attributes.put(TraceContext.TRACEPARENT, MessageAttributeValue.builder().dataType("String").stringValue(event.traceparent()).build());
        }
        if (event.tracestate() != null) {
            attributes.put(TraceContext.TRACESTATE, MessageAttributeValue.builder().dataType("String").stringValue(event.tracestate()).build());
        }
        return attributes;
    }
}
