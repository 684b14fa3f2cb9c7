package io.decoupled.shipping.redrive;

import io.decoupled.shipping.sqs.BatchEntries;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * DLQ redrive as an operator uses it. "Redrive all" asks SQS to move the messages itself with
 * StartMessageMoveTask (progress from ListMessageMoveTasks) where the endpoint implements it (AWS,
 * LocalStack, ElasticMQ), and otherwise moves them here, rate-limited: receive, send to the source queue,
 * and delete from the DLQ only the messages whose send succeeded. Nothing is lost (a message leaves the
 * DLQ only after it is in the source queue); a delete that fails after a send leaves a copy in the DLQ,
 * which the idempotent consumer absorbs if it is redriven again.
 *
 * <p>Written on the SDK because move tasks and visibility juggling are the point here; Spring Cloud AWS
 * has no redrive API.
 */
final class DeadLetterRedriver {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterRedriver.class);
    /** Long enough to finish a scan or a send; released explicitly before it runs out. */
    private static final int HOLD_SECONDS = 60;
    /** How many DLQ messages a selected redrive looks through; a bigger DLQ is redriven whole or peeked first. */
    private static final int SELECTION_SCAN_LIMIT = 1000;

    private static final Set<String> UNSUPPORTED = Set.of(
            "UnsupportedOperation",
            "AWS.SimpleQueueService.UnsupportedOperation",
            "InvalidAction",
            "UnknownOperation",
            "UnknownOperationException",
            "NotImplemented",
            "InvalidRequest");

    private final SqsAsyncClient sqs;
    private final RedriveProperties settings;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, RedriveTask> localTasks = new ConcurrentHashMap<>();
    private volatile Queue source;
    private volatile Queue deadLetters;
    private volatile Boolean moveTasksSupported;

    record Queue(String name, String url, String arn) {}

    DeadLetterRedriver(SqsAsyncClient sqs, RedriveProperties settings, MeterRegistry meters, Clock clock) {
        this.sqs = sqs;
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
    }

    DeadLetterQueueDepth depth() {
        var dlq = deadLetters();
        var attributes = sqs.getQueueAttributes(r -> r.queueUrl(dlq.url())
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .join()
                .attributes();
        return new DeadLetterQueueDepth(
                dlq.name(),
                Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
                Long.parseLong(
                        attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")));
    }

    /** Up to {@code max} messages, hidden only while they are collected and released right after. */
    List<DeadLetterMessage> peek(int max) {
        var held = scan(max, Set.of());
        release(held.values());
        return held.values().stream().map(DeadLetterRedriver::view).toList();
    }

    /** Starts moving every message back; returns at once with the task to follow. */
    RedriveTask redriveAll() {
        var dlq = deadLetters();
        var target = source();
        if (!Boolean.FALSE.equals(moveTasksSupported)) {
            try {
                var handle = sqs.startMessageMoveTask(r -> r.sourceArn(dlq.arn())
                                .destinationArn(target.arn())
                                .maxNumberOfMessagesPerSecond(settings.maxMessagesPerSecond()))
                        .join()
                        .taskHandle();
                moveTasksSupported = true;
                meters.counter("shipping.redrive.started", "mode", RedriveTask.MOVE_TASK)
                        .increment();
                log.info("Started message move task {} from {} to {}", handle, dlq.name(), target.name());
                return new RedriveTask(handle, RedriveTask.MOVE_TASK, "RUNNING", 0, null, clock.instant(), null);
            } catch (RuntimeException e) {
                if (!isUnsupported(e)) {
                    throw e;
                }
                moveTasksSupported = false;
                log.info(
                        "{} does not implement StartMessageMoveTask; redriving by receive, send and delete", dlq.url());
            }
        }
        return startLocalRedrive(dlq, target);
    }

    /** The move tasks SQS reports for the DLQ, and this instance's own receive-send-delete redrives. */
    List<RedriveTask> tasks() {
        var tasks = new ArrayList<RedriveTask>();
        if (!Boolean.FALSE.equals(moveTasksSupported)) {
            // Also lists tasks another instance (or the console) started.
            var dlq = deadLetters();
            List<ListMessageMoveTasksResultEntry> results;
            try {
                results = sqs.listMessageMoveTasks(r -> r.sourceArn(dlq.arn()).maxResults(10))
                        .join()
                        .results();
                moveTasksSupported = true;
            } catch (RuntimeException e) {
                if (!isUnsupported(e)) {
                    throw e;
                }
                moveTasksSupported = false;
                results = List.of();
            }
            for (var t : results) {
                tasks.add(new RedriveTask(
                        t.taskHandle(),
                        RedriveTask.MOVE_TASK,
                        t.status(),
                        t.approximateNumberOfMessagesMoved() == null ? 0 : t.approximateNumberOfMessagesMoved(),
                        t.approximateNumberOfMessagesToMove(),
                        t.startedTimestamp() == null ? null : Instant.ofEpochMilli(t.startedTimestamp()),
                        t.failureReason()));
            }
        }
        tasks.addAll(localTasks.values());
        tasks.sort(Comparator.comparing(RedriveTask::startedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return tasks;
    }

    /** Moves the given messages back, leaving every other DLQ message where it was. */
    SelectedRedrive redriveSelected(Collection<String> messageIds) {
        var wanted = new LinkedHashSet<>(messageIds);
        var held = scan(SELECTION_SCAN_LIMIT, wanted);
        var chosen = held.values().stream()
                .filter(m -> wanted.contains(m.messageId()))
                .toList();
        release(held.values().stream()
                .filter(m -> !wanted.contains(m.messageId()))
                .toList());
        var moved = move(chosen, "selected");
        var notFound = wanted.stream().filter(id -> !moved.contains(id)).toList();
        log.info(
                "Redrove {} selected messages from {}; not found: {}",
                moved.size(),
                deadLetters().name(),
                notFound);
        return new SelectedRedrive(List.copyOf(moved), notFound);
    }

    private RedriveTask startLocalRedrive(Queue dlq, Queue target) {
        long toMove = depth().visible();
        var handle = "local-" + UUID.randomUUID();
        var started = clock.instant();
        var moved = new AtomicLong();
        localTasks.put(
                handle, new RedriveTask(handle, RedriveTask.RECEIVE_SEND_DELETE, "RUNNING", 0, toMove, started, null));
        meters.counter("shipping.redrive.started", "mode", RedriveTask.RECEIVE_SEND_DELETE)
                .increment();
        Thread.ofVirtual().name("dlq-redrive").start(() -> {
            // Messages this task sent back that failed again and are in the DLQ once more: held (not moved, not
            // released) until the task ends, so that the depth at the start bounds the task, each message that was
            // in the DLQ then is moved once, and none is chased round again.
            var sentBack = new HashSet<String>();
            var cameBack = new ArrayList<Message>();
            try {
                int idle = 0;
                while (moved.get() < toMove && idle < 3) {
                    long batchStarted = System.nanoTime();
                    var messages = receive(dlq, (int) Math.min(10, toMove - moved.get()), 1);
                    if (messages.isEmpty()) {
                        break;
                    }
                    var firstTime = new ArrayList<Message>();
                    for (var m : messages) {
                        (sentBack.contains(m.messageId()) ? cameBack : firstTime).add(m);
                    }
                    int movedNow = move(firstTime, "all", sentBack::add).size();
                    moved.addAndGet(movedNow);
                    // A batch that moves nothing (all came back, or every send refused) three times running ends
                    // the task rather than spinning; what is left stays in the DLQ.
                    idle = movedNow == 0 ? idle + 1 : 0;
                    localTasks.put(
                            handle,
                            new RedriveTask(
                                    handle,
                                    RedriveTask.RECEIVE_SEND_DELETE,
                                    "RUNNING",
                                    moved.get(),
                                    toMove,
                                    started,
                                    null));
                    pace(messages.size(), batchStarted);
                }
                localTasks.put(
                        handle,
                        new RedriveTask(
                                handle,
                                RedriveTask.RECEIVE_SEND_DELETE,
                                "COMPLETED",
                                moved.get(),
                                toMove,
                                started,
                                null));
                log.info(
                        "Redrive {} moved {} messages from {} to {}; {} came back meanwhile and stay in the DLQ",
                        handle,
                        moved.get(),
                        dlq.name(),
                        target.name(),
                        cameBack.size());
            } catch (RuntimeException e) {
                localTasks.put(
                        handle,
                        new RedriveTask(
                                handle,
                                RedriveTask.RECEIVE_SEND_DELETE,
                                "FAILED",
                                moved.get(),
                                toMove,
                                started,
                                e.toString()));
                log.error(
                        "Redrive {} failed after {} messages; the rest stay in {}", handle, moved.get(), dlq.name(), e);
            } finally {
                try {
                    release(cameBack);
                } catch (RuntimeException e) {
                    log.warn(
                            "Could not release {} held DLQ messages; they reappear when their hold ends",
                            cameBack.size(),
                            e);
                }
            }
        });
        return localTasks.get(handle);
    }

    /** Sleeps so that batches go out at no more than the configured messages per second. */
    private void pace(int messages, long batchStarted) {
        long due = batchStarted + TimeUnit.SECONDS.toNanos(messages) / settings.maxMessagesPerSecond();
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("redrive interrupted", e);
            }
        }
    }

    /** Sends to the source queue, then deletes from the DLQ exactly the ones that were sent; returns their ids. */
    private List<String> move(List<Message> messages, String scope) {
        return move(messages, scope, sentAs -> {});
    }

    /** As {@link #move(List, String)}, telling {@code sentAs} the message id each copy got on the source queue. */
    private List<String> move(List<Message> messages, String scope, Consumer<String> sentAs) {
        var movedIds = new ArrayList<String>();
        var target = source();
        var dlq = deadLetters();
        for (var chunk : BatchEntries.batches(messages)) {
            var entries = BatchEntries.numbered(
                    chunk,
                    (id, m) -> SendMessageBatchRequestEntry.builder()
                            .id(id)
                            .messageBody(m.body())
                            .messageAttributes(m.messageAttributes())
                            .build());
            var sent = sqs.sendMessageBatch(r -> r.queueUrl(target.url()).entries(entries))
                    .join();
            var deletes = new ArrayList<DeleteMessageBatchRequestEntry>();
            for (var ok : sent.successful()) {
                var m = BatchEntries.item(chunk, ok.id());
                deletes.add(DeleteMessageBatchRequestEntry.builder()
                        .id(ok.id())
                        .receiptHandle(m.receiptHandle())
                        .build());
            }
            var unsent = sent.failed().stream()
                    .map(f -> BatchEntries.item(chunk, f.id()))
                    .toList();
            sent.failed()
                    .forEach(f -> log.warn(
                            "Could not redrive {}: {} {}",
                            BatchEntries.item(chunk, f.id()).messageId(),
                            f.code(),
                            f.message()));
            release(unsent);
            if (!deletes.isEmpty()) {
                var deleted = sqs.deleteMessageBatch(r -> r.queueUrl(dlq.url()).entries(deletes))
                        .join();
                deleted.failed()
                        .forEach(f -> log.warn(
                                "Redriven message {} could not be deleted from {}: {}; a copy stays there",
                                BatchEntries.item(chunk, f.id()).messageId(),
                                dlq.name(),
                                f.code()));
                for (var ok : sent.successful()) {
                    movedIds.add(BatchEntries.item(chunk, ok.id()).messageId());
                    sentAs.accept(ok.messageId());
                }
            }
        }
        meters.counter("shipping.redrive.messages", "scope", scope).increment(movedIds.size());
        return movedIds;
    }

    /**
     * Receives and holds DLQ messages (by message id) until {@code max} are held, every wanted id is found, or
     * the DLQ has nothing more to give.
     */
    private Map<String, Message> scan(int max, Set<String> stopWhenFound) {
        var held = new LinkedHashMap<String, Message>();
        var dlq = deadLetters();
        while (held.size() < max) {
            var batch = receive(dlq, Math.min(10, max - held.size()), 0);
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(m -> held.putIfAbsent(m.messageId(), m));
            if (!stopWhenFound.isEmpty() && held.keySet().containsAll(stopWhenFound)) {
                break;
            }
        }
        return held;
    }

    private List<Message> receive(Queue queue, int max, int waitSeconds) {
        return sqs.receiveMessage(r -> r.queueUrl(queue.url())
                        .maxNumberOfMessages(max)
                        .waitTimeSeconds(waitSeconds)
                        .visibilityTimeout(HOLD_SECONDS)
                        .messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP))
                .join()
                .messages();
    }

    private void release(Collection<Message> messages) {
        var list = List.copyOf(messages);
        var dlq = deadLetters();
        for (var chunk : BatchEntries.batches(list)) {
            var entries = BatchEntries.numbered(
                    chunk,
                    (id, m) -> ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id(id)
                            .receiptHandle(m.receiptHandle())
                            .visibilityTimeout(0)
                            .build());
            sqs.changeMessageVisibilityBatch(r -> r.queueUrl(dlq.url()).entries(entries))
                    .join();
        }
    }

    private static DeadLetterMessage view(Message m) {
        var attributes = new HashMap<String, String>();
        m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
        var sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        return new DeadLetterMessage(
                m.messageId(), m.body(), attributes, sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)));
    }

    static boolean isUnsupported(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SqsException sqsError) {
                var details = sqsError.awsErrorDetails();
                String code = details == null ? null : details.errorCode();
                return (code != null && UNSUPPORTED.contains(code))
                        || sqsError.statusCode() == 501
                        || sqsError.statusCode() == 404;
            }
        }
        return false;
    }

    private Queue source() {
        if (source == null) {
            source = resolve(settings.sourceQueue());
        }
        return source;
    }

    private Queue deadLetters() {
        if (deadLetters == null) {
            deadLetters = resolve(settings.deadLetterQueue());
        }
        return deadLetters;
    }

    private Queue resolve(String name) {
        var url = sqs.getQueueUrl(r -> r.queueName(name)).join().queueUrl();
        var arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .join()
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        return new Queue(name, url, arn);
    }
}
