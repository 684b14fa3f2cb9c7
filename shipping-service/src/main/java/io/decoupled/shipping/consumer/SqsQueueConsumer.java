package io.decoupled.shipping.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

/**
 * Competing consumer on one SQS queue: long polls in batches of up to ten, works on each message in a
 * bounded, resizable pool of workers, extends the visibility of long work (heartbeat), deletes in batches
 * only after the handler returned, and classifies each failure ({@link FailureKind}): a poison message is
 * released at once so the queue's redrive policy moves it to the DLQ after maxReceiveCount quick receives; a
 * transient failure is retried in place within a time budget (the message held and kept hidden by the heartbeat,
 * backoff with jitter between attempts), and a run of them opens a {@link ConsumerCircuit} that pauses receiving.
 * An outage of minutes thus costs each held message one receive, not the five that would send it to the DLQ.
 *
 * <p>A received message is only held while a worker can take it: a message that waits for a worker until shortly
 * before its visibility timeout, or finds the pool resized to zero, is released (visibility 0) for another
 * consumer rather than kept hidden, and the heartbeat extends only messages a worker is working on.
 *
 * <p>Written on the AWS SDK rather than Spring Cloud AWS's listener container because the behaviours this service
 * exists to show are exactly the ones the container keeps internal or leaves out: a heartbeat batched across in-flight
 * messages, a pool whose size an autoscaler changes while it runs, and control over every API call (the benchmark
 * counts them). It has a synchronous {@link SqsClient} of its own: every call it makes has a thread to block anyway
 * (a poller's long poll, a sender's delete, the heartbeat's extension), and the synchronous request path costs less
 * CPU per call than the asynchronous one (docs/benchmarks.md, runs 4 and 5). Receives block on the pollers (virtual
 * threads, so that {@link #stop} interrupting one ends its long poll at once); deletes and visibility changes go to
 * the {@link Acknowledgements} senders, never a worker's thread.
 *
 * <p>A payload past 256 KiB arrives as a pointer to S3 (claim check) and is resolved by the worker that handles it,
 * not by an extended client around the receive ({@link OffloadedPayloads} says why).
 *
 * <p>Graceful drain (SmartLifecycle stop): stop polling, let running work finish within a bound, release
 * what did not finish (visibility 0, so another consumer takes it at once instead of after the timeout),
 * and flush the pending deletes.
 */
public final class SqsQueueConsumer implements SmartLifecycle, WorkerPoolControl {
    private static final Logger log = LoggerFactory.getLogger(SqsQueueConsumer.class);

    private final SqsClient sqs;
    private final ConsumerProperties settings;
    private final MessageHandler handler;
    private final MessageBodies bodies;
    private final OffloadedPayloads payloads;
    private final MeterRegistry meters;
    private final MessageTracing tracing;
    private final WorkerPool<InFlightMessage> pool;
    private final ProcessingTimeEstimate processingTime = new ProcessingTimeEstimate();
    private final RetryBackoff backoff;
    private final ConsumerCircuit circuit;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Map<String, InFlightMessage> inFlight = new ConcurrentHashMap<>();
    private final Counter received;
    private final Counter receiveCalls;
    private final Timer handling;

    private volatile boolean running;
    private volatile String queueUrl;
    private volatile Duration queueVisibility;
    private volatile Duration retryBudget;
    private VisibilityHeartbeat heartbeat;
    private Acknowledgements acknowledgements;
    private ExecutorService workers;
    private List<Thread> pollers = List.of();

    public SqsQueueConsumer(
            SqsClient sqs, ConsumerProperties settings, MessageHandler handler, JsonMapper json, MeterRegistry meters) {
        this(sqs, settings, handler, json, meters, MessageTracing.none());
    }

    public SqsQueueConsumer(
            SqsClient sqs,
            ConsumerProperties settings,
            MessageHandler handler,
            JsonMapper json,
            MeterRegistry meters,
            MessageTracing tracing) {
        this(sqs, settings, handler, json, meters, tracing, OffloadedPayloads.none());
    }

    public SqsQueueConsumer(
            SqsClient sqs,
            ConsumerProperties settings,
            MessageHandler handler,
            JsonMapper json,
            MeterRegistry meters,
            MessageTracing tracing,
            OffloadedPayloads payloads) {
        this.tracing = tracing;
        this.payloads = payloads;
        this.sqs = sqs;
        this.settings = settings;
        this.handler = handler;
        this.bodies = new MessageBodies(json);
        this.meters = meters;
        this.pool = new WorkerPool<>(settings.workers(), settings.maxPollers());
        this.backoff = new RetryBackoff(
                settings.retry().initialBackoff(), settings.retry().maxBackoff());
        this.circuit = new ConsumerCircuit(
                settings.retry().circuitThreshold(), settings.retry().circuitOpenFor(), System::nanoTime);
        Gauge.builder("shipping.consumer.circuit.open", circuit, c -> c.isOpen() ? 1 : 0)
                .description("1 while receiving is paused after a run of transient failures")
                .register(meters);
        this.received = Counter.builder("shipping.messages.received")
                .description("Messages received from the queue")
                .register(meters);
        this.receiveCalls = Counter.builder("shipping.sqs.requests")
                .tag("operation", "ReceiveMessage")
                .register(meters);
        this.handling = Timer.builder("shipping.messages.handling")
                .description("Time a handler took per message")
                .register(meters);
        Gauge.builder("shipping.messages.inflight", inFlight, Map::size)
                .description("Received and not yet deleted or released")
                .register(meters);
        Gauge.builder("shipping.workers.busy", pool, WorkerPool::busy).register(meters);
        Gauge.builder("shipping.messages.held", pool, WorkerPool::held)
                .description("Received and waiting for a worker (at most a batch beyond the free workers)")
                .register(meters);
        Gauge.builder("shipping.consumer.pollers", pool, WorkerPool::activePollers)
                .description("Pollers allowed to receive: one more per full receive, back to one after an empty one")
                .register(meters);
    }

    @Override
    public void start() {
        queueUrl = settings.queue().startsWith("https://") || settings.queue().startsWith("http://")
                ? settings.queue()
                : sqs.getQueueUrl(r -> r.queueName(settings.queue())).queueUrl();
        var attributes =
                sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT));
        queueVisibility =
                Duration.ofSeconds(Long.parseLong(attributes.attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT)));
        var beat = settings.heartbeat();
        if (beat.enabled() && beat.threshold().plus(beat.interval()).compareTo(queueVisibility) >= 0) {
            log.warn(
                    "Heartbeat threshold {} plus interval {} is not below the queue's visibility timeout {}: long work may reappear before it is extended",
                    beat.threshold(),
                    beat.interval(),
                    queueVisibility);
        }
        heartbeat =
                new VisibilityHeartbeat(sqs, queueUrl, settings.heartbeat(), queueVisibility, meters, System::nanoTime);
        // A held message must stay hidden while it is retried: within what the heartbeat may extend, or without a
        // heartbeat within the queue's own timeout.
        var hiddenFor = beat.enabled()
                ? beat.maxVisibility().minus(beat.interval().multipliedBy(2))
                : queueVisibility.minusSeconds(5);
        retryBudget = hiddenFor.isNegative()
                ? Duration.ZERO
                : settings.retry().budget().compareTo(hiddenFor) < 0
                        ? settings.retry().budget()
                        : hiddenFor;
        // As many senders as receives may be in flight: each receive of ten is answered by one delete of ten.
        acknowledgements =
                new Acknowledgements(sqs, queueUrl, settings.ackFlushInterval(), settings.maxPollers(), meters);
        workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("shipping-worker-", 0).factory());
        running = true;
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < settings.maxPollers(); i++) {
            int index = i;
            // Virtual: a blocking socket read of a virtual thread ends when the thread is interrupted (the socket is
            // closed), so stop() cuts a 20 s long poll short; a platform thread would sit it out.
            threads.add(Thread.ofVirtual().name("sqs-poller-" + i).start(() -> poll(index)));
        }
        pollers = List.copyOf(threads);
        log.info(
                "Consuming {} with {} workers (visibility timeout {}, heartbeat {})",
                queueUrl,
                pool.size(),
                queueVisibility,
                settings.heartbeat().enabled() ? "on" : "off");
    }

    private void poll(int index) {
        while (running) {
            try {
                boolean mayReceive = pool.awaitReceive(index, settings.batchSize());
                handOver(pool.startable());
                var unstartable = pool.unstartable(System.nanoTime());
                if (!unstartable.isEmpty()) {
                    // Resized to zero, or no worker in time: let another consumer have them now.
                    meters.counter("shipping.messages.handed.back").increment(unstartable.size());
                    release(unstartable, 0);
                }
                if (!mayReceive) {
                    continue;
                }
                if (circuit.isOpen()) {
                    pool.receiveFailed();
                    // A dependency is down: do not pull more messages through failing handlers.
                    Thread.sleep(Duration.ofSeconds(1));
                    continue;
                }
                receiveAndDispatch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    // An unreachable endpoint must not spin: wait as long as a long poll would have.
                    log.warn("Receive from {} failed; polling again shortly", queueUrl, e);
                    try {
                        Thread.sleep(Duration.ofSeconds(1));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Receives one batch (a reservation from {@link WorkerPool#awaitReceive} is held) and starts what workers can take. */
    private void receiveAndDispatch() {
        receiveCalls.increment();
        List<Message> messages;
        try {
            messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                            .maxNumberOfMessages(settings.batchSize())
                            .waitTimeSeconds((int) settings.waitTime().toSeconds())
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                            .messageAttributeNames("All"))
                    .messages();
        } catch (RuntimeException e) {
            pool.receiveFailed();
            if (!running) {
                // Cut short by stop(): anything SQS had handed to this long poll reappears after its visibility
                // timeout, never later.
                return;
            }
            throw e;
        }
        long now = System.nanoTime();
        var batch = new ArrayList<InFlightMessage>(messages.size());
        for (var message : messages) {
            var tracked = new InFlightMessage(message, now, now + queueVisibility.toNanos());
            inFlight.put(message.receiptHandle(), tracked);
            batch.add(tracked);
        }
        received.increment(messages.size());
        // Held for a worker no longer than the message stays hidden anyway (less a margin to release it).
        long handOverBy =
                now + queueVisibility.toNanos() - Math.min(TimeUnit.SECONDS.toNanos(5), queueVisibility.toNanos() / 2);
        handOver(pool.received(batch, settings.batchSize(), handOverBy));
        if (!running) {
            // The receive outlived stop(), which closed the pool: no worker will take what it brought, so hand it back
            // now instead of leaving it hidden for its visibility timeout.
            var stranded = pool.close();
            meters.counter("shipping.messages.handed.back").increment(stranded.size());
            release(stranded, 0);
        }
    }

    /** Starts a worker for each message that has already taken its place in the pool. */
    private void handOver(List<InFlightMessage> messages) {
        for (var message : messages) {
            workers.execute(() -> work(message));
        }
    }

    /** A worker: its message, then held ones as long as the pool lets it go on, without a hand-off between them. */
    private void work(InFlightMessage first) {
        for (var message = first; message != null; message = pool.next()) {
            if (inFlight.containsKey(message.receiptHandle())) {
                try {
                    handle(message);
                } catch (RuntimeException | Error e) {
                    // handle() takes every Exception of the handler; what gets here is an Error (a handler bug). The
                    // worker must still reach pool.next(): it is what gives its place back, and a lost place shrinks
                    // the pool for good (with one worker, nothing is received again). The message goes back to the
                    // queue rather than staying hidden, and extended by the heartbeat, with nobody working on it.
                    log.error(
                            "Handler failed on message {} with an error; handed back to the queue",
                            message.messageId(),
                            e);
                    meters.counter("shipping.messages.failed", "reason", "error")
                            .increment();
                    release(List.of(message), 0);
                }
            }
        }
    }

    private void handle(InFlightMessage message) {
        // Only now is the message being worked on: from here the heartbeat keeps it hidden while that lasts.
        heartbeat.track(message);
        long started = System.nanoTime();
        var sqsMessage = message.message();
        int receiveCount = Integer.parseInt(
                sqsMessage.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
        try {
            var attributes = new HashMap<String, String>();
            sqsMessage.messageAttributes().forEach((name, value) -> {
                if (value.stringValue() != null) {
                    attributes.put(name, value.stringValue());
                }
            });
            for (int attempt = 1; ; attempt++) {
                try {
                    // The handler runs in a consumer span that continues the trace of the message's traceparent
                    // attribute. A payload offloaded to S3 is fetched inside the attempt (OffloadedPayloads): a
                    // missing object is poison, a transient S3 failure is retried in place.
                    String outcome = tracing.inConsumerSpan(
                            "process " + settings.queue(),
                            attributes,
                            () -> handler.handle(new ReceivedMessage(
                                    sqsMessage.messageId(),
                                    payloads.resolve(bodies.payload(sqsMessage.body())),
                                    attributes,
                                    receiveCount)));
                    circuit.success();
                    // Committed: delete even if shutdown already released it, since the effect exists either way.
                    heartbeat.untrack(message);
                    inFlight.remove(message.receiptHandle());
                    acknowledgements.acknowledge(message);
                    meters.counter("shipping.messages.processed", "outcome", outcome)
                            .increment();
                    return;
                } catch (Exception e) {
                    try {
                        if (!retryInPlace(message, receiveCount, attempt, e)) {
                            return;
                        }
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        release(List.of(message), 0);
                        return;
                    }
                }
            }
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            processingTime.record(took);
            handling.record(took);
        }
    }

    /**
     * Decides what a failed attempt leads to: true to try again in place (after waiting its backoff), false once
     * the message was released (poison, budget spent, or shutting down).
     */
    private boolean retryInPlace(InFlightMessage message, int receiveCount, int attempt, Exception failure)
            throws InterruptedException {
        var messageId = message.messageId();
        if (FailureKind.of(failure) == FailureKind.POISON) {
            // Retrying cannot help; release at once so it reaches maxReceiveCount and the DLQ quickly.
            log.warn(
                    "Poison message {} (receive {}), released towards the DLQ: {}",
                    messageId,
                    receiveCount,
                    FailureKind.reason(failure));
            meters.counter("shipping.messages.failed", "reason", "poison").increment();
            release(List.of(message), 0);
            return false;
        }
        circuit.failure();
        meters.counter("shipping.messages.failed", "reason", "transient").increment();
        int delay = backoff.delaySeconds(attempt);
        long heldNanos = System.nanoTime() - message.receivedAt();
        boolean withinBudget = heldNanos + TimeUnit.SECONDS.toNanos(delay) <= retryBudget.toNanos();
        if (!running || !withinBudget || !inFlight.containsKey(message.receiptHandle())) {
            int visibility = running ? backoff.delaySeconds(receiveCount) : 0;
            log.warn(
                    "Transient failure on message {} (receive {}, attempt {}), handed back to the queue for {} s: {}",
                    messageId,
                    receiveCount,
                    attempt,
                    visibility,
                    FailureKind.reason(failure));
            release(List.of(message), visibility);
            return false;
        }
        log.warn(
                "Transient failure on message {} (receive {}, attempt {}), retrying in place in {} s: {}",
                messageId,
                receiveCount,
                attempt,
                delay,
                FailureKind.reason(failure));
        meters.counter("shipping.messages.retried").increment();
        if (stopping.await(delay, TimeUnit.SECONDS)) {
            release(List.of(message), 0);
            return false;
        }
        return true;
    }

    /**
     * Makes messages visible again after the given delay (0 hands them to the next receive at once). The call is
     * queued for the acknowledgement senders; the caller, often a worker, goes on.
     */
    private void release(List<InFlightMessage> candidates, int delaySeconds) {
        // Claiming each message out of inFlight first means a message released at shutdown is not hidden
        // again by its worker's late failure (or released twice).
        var messages = candidates.stream()
                .filter(m -> inFlight.remove(m.receiptHandle()) != null)
                .toList();
        // Once untrack returns no extension of the message is in flight or can start, so none can follow the release.
        messages.forEach(heartbeat::untrack);
        acknowledgements.changeVisibility(messages, delaySeconds);
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopping.countDown();
        long started = System.nanoTime();
        // Start nothing more, and hand back at once what was held for a worker: no worker here will take it, and
        // keeping it until the drain below ends (up to shutdown-timeout, or its whole visibility timeout if the
        // process is killed first) only hides it from the other consumers.
        var held = pool.close();
        if (!held.isEmpty()) {
            meters.counter("shipping.messages.handed.back").increment(held.size());
            release(held, 0);
        }
        // 1. Stop polling. An interrupted long poll returns nothing; anything SQS had handed to it reappears
        //    after its visibility timeout, never later.
        pollers.forEach(Thread::interrupt);
        long pollersDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (var poller : pollers) {
            // Interrupt again while waiting: a poller may have started a receive just before it saw the flag.
            while (poller.isAlive() && System.nanoTime() < pollersDeadline) {
                poller.interrupt();
                try {
                    poller.join(Duration.ofMillis(100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        // 2. Let running work finish within the bound.
        boolean drained;
        try {
            drained = pool.awaitIdle(settings.shutdownTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        // 3. Release what did not finish, so it does not wait out its visibility timeout (or an extension).
        var unfinished = List.copyOf(inFlight.values());
        if (!unfinished.isEmpty()) {
            log.warn("Releasing {} unfinished messages at shutdown", unfinished.size());
            release(unfinished, 0);
        }
        workers.shutdownNow();
        heartbeat.close();
        // 4. Flush the deletes of everything that finished.
        acknowledgements.close();
        log.info(
                "Consumer of {} stopped in {} ms ({}, {} released)",
                queueUrl,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                drained ? "drained" : "drain timed out",
                unfinished.size());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server and the data source go away, after the outbox relay has no more input. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    @Override
    public Optional<String> queueUrl() {
        return Optional.ofNullable(queueUrl);
    }

    @Override
    public int currentWorkers() {
        return pool.size();
    }

    @Override
    public int busyWorkers() {
        return pool.busy();
    }

    @Override
    public Optional<Duration> averageProcessingTime() {
        return processingTime.average();
    }

    @Override
    public void resize(int workers) {
        pool.resize(workers);
    }
}
