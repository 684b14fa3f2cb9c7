package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.OperatingSystemMXBean;
import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.BenchmarkReport;
import io.decoupled.localaws.CpuPlacement;
import io.decoupled.localaws.JitCompilation;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark (profile {@code benchmark}, docs/benchmarks.md): {@link SqsQueueConsumer} with a no-op handler against a
 * raw SDK loop of ReceiveMessage(10) + DeleteMessageBatch on the same emulator, same batch size, as many threads as the
 * consumer has receives in flight, the same backlog, at several worker counts (-Dbenchmark.workers, default 4,16,64), rounds alternating which goes first; a fresh queue per measurement. Also counts the
 * consumer's SQS calls per consumed message under load. Fails only on lost or duplicated messages.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class SqsConsumerBenchmarkIT {
    /**
     * Messages per measurement. With 4,000 (the default until run 19) a measurement lasted 0.1-0.2 s on a backlog the
     * emulator serves cheaply, and the ratio at 64 workers moved with the client's CPU alone (docs/benchmarks.md, runs
     * 17 and 19).
     */
    private static final int MESSAGES = Integer.getInteger("benchmark.messages", 50_000);

    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 4);
    /** Worker counts measured; the production default (4) carries the unsuffixed result names, the others a suffix. */
    private static final List<Integer> WORKERS = Arrays.stream(
                    System.getProperty("benchmark.workers", "4,16,64").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();

    private static final int DEFAULT_WORKERS = 4; // the production default (shipping.consumer.workers)
    private static final int MAX_POLLERS = 10; // the production default (shipping.consumer.max-pollers)
    private static final int BATCH = 10;
    private static final Duration WAIT = Duration.ofSeconds(1);
    /**
     * Messages each warm-up measurement drains, at least: the JIT settles after a number of messages, not of cycles (run
     * 17: 4 or 5 cycles of 50,000; with 4,000 it was still compiling after 6).
     */
    private static final int WARM_UP_MESSAGES = Math.max(MESSAGES, 50_000);

    private final LocalAws aws = SharedAwsEnvironments.embedded();

    @Test
    void consumerAgainstARawReceiveDeleteLoop() throws Exception {
        CpuPlacement.apply(List.of());
        for (int workers : WORKERS) {
            measure(workers, workers == DEFAULT_WORKERS ? "" : "-" + workers + "-workers");
        }
    }

    /**
     * Like with like: the raw loop runs as many threads as the consumer may have receives in flight with this many
     * workers (one per batch its free workers can take, {@link WorkerPool#pollersFor}); the consumer's peak of
     * concurrent receives is measured and reported next to it.
     */
    private void measure(int workers, String suffix) throws Exception {
        int threads = Math.min(MAX_POLLERS, WorkerPool.pollersFor(workers, BATCH));
        var ratios = new ArrayList<Double>();
        var callsPerMessage = new ArrayList<Double>();
        var rawRates = new ArrayList<Double>();
        var consumerRates = new ArrayList<Double>();
        var asyncRates = new ArrayList<Double>();
        var asyncRatios = new ArrayList<Double>();
        var peakReceives = new ArrayList<Integer>();
        var rawCpu = new ArrayList<String>();
        var consumerCpu = new ArrayList<String>();
        var rawClientCpu = new ArrayList<Double>();
        var consumerClientCpu = new ArrayList<Double>();
        var rawSwitches = new ArrayList<Double>();
        var consumerSwitches = new ArrayList<Double>();
        int warmUps = warmUp(threads, workers);
        var compileShares = new ArrayList<String>();
        for (int round = 0; round < ROUNDS; round++) {
            Run raw;
            Run asyncRaw;
            Run consumer;
            if (round % 2 == 0) {
                raw = rawLoop(filledQueue(MESSAGES), threads);
                asyncRaw = rawLoop(filledQueue(MESSAGES), threads, true);
                consumer = consumer(filledQueue(MESSAGES), workers);
            } else {
                consumer = consumer(filledQueue(MESSAGES), workers);
                asyncRaw = rawLoop(filledQueue(MESSAGES), threads, true);
                raw = rawLoop(filledQueue(MESSAGES), threads);
            }
            asyncRates.add(asyncRaw.rate());
            asyncRatios.add(consumer.rate() / asyncRaw.rate());
            rawRates.add(raw.rate());
            consumerRates.add(consumer.rate());
            ratios.add(consumer.rate() / raw.rate());
            callsPerMessage.add(consumer.callsPerMessage());
            peakReceives.add(consumer.peakReceives());
            rawCpu.add(cpuOf(raw));
            consumerCpu.add(cpuOf(consumer));
            rawClientCpu.add(raw.clientCpuMicrosPerMessage());
            consumerClientCpu.add(consumer.clientCpuMicrosPerMessage());
            rawSwitches.add(raw.clientSwitchesPerMessage());
            consumerSwitches.add(consumer.clientSwitchesPerMessage());
            compileShares.add(String.format(Locale.ROOT, "%.2f/%.2f", raw.compileShare(), consumer.compileShare()));
            System.out.printf(
                    "sqs-consumer %d workers round %d: raw %d threads %.0f msg/s (%.3f calls/msg, CPU %.0f + %.0f µs/msg,"
                            + " %.2f thread switches/msg), raw on the async client %.0f msg/s, consumer %.0f msg/s (%.3f"
                            + " calls/msg, peak %d receives in flight, CPU %.0f + %.0f µs/msg, %.2f thread switches/msg),"
                            + " ratio %.3f, JIT compiling %.0f%% / %.0f%% of the time%n",
                    workers,
                    round,
                    threads,
                    raw.rate(),
                    raw.callsPerMessage(),
                    raw.clientCpuMicrosPerMessage(),
                    raw.emulatorCpuMicrosPerMessage(),
                    raw.clientSwitchesPerMessage(),
                    asyncRaw.rate(),
                    consumer.rate(),
                    consumer.callsPerMessage(),
                    consumer.peakReceives(),
                    consumer.clientCpuMicrosPerMessage(),
                    consumer.emulatorCpuMicrosPerMessage(),
                    consumer.clientSwitchesPerMessage(),
                    consumer.rate() / raw.rate(),
                    raw.compileShare() * 100,
                    consumer.compileShare() * 100);
        }
        var details = new LinkedHashMap<String, Object>();
        details.put("messages", MESSAGES);
        details.put("workers", workers);
        details.put("rawThreads", threads);
        details.put("consumerPeakReceives", peakReceives);
        details.put("batchSize", BATCH);
        details.put("rawMsgPerSec", rawRates);
        details.put("consumerMsgPerSec", consumerRates);
        details.put("ratios", ratios);
        // CPU per message, "client+emulator" microseconds: on 2 cores a side whose client costs more CPU per message
        // leaves the emulator less, once the two together use both cores.
        details.put("rawCpuMicrosPerMessage", rawCpu);
        details.put("consumerCpuMicrosPerMessage", consumerCpu);
        details.put("rawClientCpuMicrosPerMessageMedian", BenchmarkReport.median(rawClientCpu));
        details.put("consumerClientCpuMicrosPerMessageMedian", BenchmarkReport.median(consumerClientCpu));
        // Thread switches of this JVM per message (Linux; NaN elsewhere): each one is a wake-up and a trip through the
        // scheduler, which is where the consumer's hand-offs between threads cost CPU (run 15, run 16).
        details.put("rawThreadSwitchesPerMessage", rawSwitches);
        details.put("consumerThreadSwitchesPerMessage", consumerSwitches);
        // The JIT's compile time during each measurement over its length, "raw/consumer": on 2 cores a compiler thread
        // still at work takes CPU from whichever side it overlaps, so the warm-up lasts until it is near zero.
        details.put("warmUpCycles", warmUps);
        details.put("compileShare", compileShares);
        BenchmarkReport.atLeast(
                "sqs-consumer-throughput" + suffix, "ratio", BenchmarkReport.median(ratios), 0.95, details);
        // The same loop on the asynchronous client (joined), which the consumer used until run 5: the client's share of
        // the cost, for comparison with earlier runs.
        BenchmarkReport.info(
                "sqs-consumer-vs-async-raw-loop" + suffix,
                "ratio",
                BenchmarkReport.median(asyncRatios),
                Map.of(
                        "workers",
                        workers,
                        "rawThreads",
                        threads,
                        "asyncRawMsgPerSec",
                        asyncRates,
                        "ratios",
                        asyncRatios));
        BenchmarkReport.atMost(
                "sqs-consumer-calls-per-message" + suffix,
                "callsPerMessage",
                BenchmarkReport.median(callsPerMessage),
                0.21,
                Map.of("messages", MESSAGES, "workers", workers, "perRound", callsPerMessage));
    }

    /**
     * Unmeasured cycles of all three sides (JIT, connection pools, the emulator) until the JIT has settled
     * ({@link JitCompilation#settled}). One cycle was
     * not enough: the C2 compiler took 26-68% of a core through the first measured round (run 17), on one side more
     * than the other. Returns the cycles run.
     */
    private int warmUp(int threads, int workers) throws Exception {
        for (int cycle = 1; ; cycle++) {
            var runs = List.of(
                    rawLoop(filledQueue(WARM_UP_MESSAGES), threads),
                    rawLoop(filledQueue(WARM_UP_MESSAGES), threads, true),
                    consumer(filledQueue(WARM_UP_MESSAGES), workers));
            double compileShare =
                    runs.stream().mapToDouble(Run::compileShare).max().orElseThrow();
            System.out.printf(
                    "sqs-consumer %d workers warm-up %d: JIT compiling up to %.0f%% of the time%n",
                    workers, cycle, compileShare * 100);
            if (JitCompilation.settled(cycle, compileShare)) {
                return cycle;
            }
        }
    }

    private static String cpuOf(Run run) {
        return String.format(
                Locale.ROOT, "%.0f+%.0f", run.clientCpuMicrosPerMessage(), run.emulatorCpuMicrosPerMessage());
    }

    /**
     * One side's measurement: messages per second, SQS calls per message, the most receives it had in flight, the CPU
     * it cost per message, of this JVM (the client: the consumer or the raw loop, and the collector) and of the
     * emulators the build started (children of this JVM; only the SQS one is busy during a measurement), and this
     * JVM's thread switches per message.
     */
    private record Run(
            double rate,
            double callsPerMessage,
            int peakReceives,
            double clientCpuMicrosPerMessage,
            double emulatorCpuMicrosPerMessage,
            double clientSwitchesPerMessage,
            double compileShare) {}

    /**
     * CPU time of this JVM and of its child processes (the emulators), and the thread switches of each of this JVM's
     * threads (voluntary and involuntary, from {@code /proc/self/task}; empty where there is none), read before and
     * after a measurement. Switches are counted per thread between the two reads: a thread that ended in between
     * (another measurement's, winding down) adds nothing, and one started in between adds all of its own.
     */
    private record CpuTimes(
            long clientNanos, long emulatorNanos, long compileMillis, Optional<Map<String, Long>> switches) {
        static CpuTimes now() {
            long emulators = ProcessHandle.current()
                    .descendants()
                    .mapToLong(p ->
                            p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                    .sum();
            var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new CpuTimes(os.getProcessCpuTime(), emulators, JitCompilation.millis(), threadSwitches());
        }

        private static Optional<Map<String, Long>> threadSwitches() {
            var tasks = Path.of("/proc/self/task");
            if (!Files.isDirectory(tasks)) {
                return Optional.empty();
            }
            var byThread = new HashMap<String, Long>();
            try (var threads = Files.list(tasks)) {
                for (var thread : threads.toList()) {
                    try {
                        long switches = 0;
                        for (var line : Files.readAllLines(thread.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:")
                                    || line.startsWith("nonvoluntary_ctxt_switches:")) {
                                switches += Long.parseLong(
                                        line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                        byThread.put(thread.getFileName().toString(), switches);
                    } catch (IOException ended) {
                        // The thread ended while being read: it is not counted.
                    }
                }
            } catch (IOException e) {
                return Optional.empty();
            }
            return Optional.of(byThread);
        }

        /** The measurement of {@code messages} that took {@code seconds} and {@code calls} SQS calls, since {@code start}. */
        Run since(CpuTimes start, int messages, double seconds, long calls, int peakReceives) {
            double rate = messages / seconds;
            double callsPerMessage = (double) calls / messages;
            double switchesPerMessage = switches.isPresent() && start.switches.isPresent()
                    ? switches.get().entrySet().stream()
                                    .mapToLong(thread -> thread.getValue()
                                            - start.switches.get().getOrDefault(thread.getKey(), 0L))
                                    .sum()
                            / (double) messages
                    : Double.NaN;
            return new Run(
                    rate,
                    callsPerMessage,
                    peakReceives,
                    (clientNanos - start.clientNanos) / 1e3 / messages,
                    (emulatorNanos - start.emulatorNanos) / 1e3 / messages,
                    switchesPerMessage,
                    (compileMillis - start.compileMillis) / 1e3 / seconds);
        }
    }

    /** The candidate: the production consumer with its production settings, except a shorter long poll (see the raw loop). */
    private Run consumer(Backlog backlog, int workers) throws Exception {
        var queueUrl = backlog.url();
        var counter = new CallCounter();
        var handled = ConcurrentHashMap.<String>newKeySet();
        var duplicates = new AtomicInteger();
        var settings = new ConsumerProperties(
                queueUrl,
                workers,
                MAX_POLLERS,
                BATCH,
                WAIT,
                Duration.ofMillis(100),
                Duration.ofSeconds(20),
                new ConsumerProperties.Heartbeat(
                        true, Duration.ofSeconds(10), Duration.ofSeconds(5), null, Duration.ofMinutes(15)),
                new ConsumerProperties.Retry(
                        Duration.ofSeconds(2),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10),
                        5,
                        Duration.ofSeconds(30)));
        try (var sqs = aws.configure(SqsClient.builder(), AwsService.SQS)
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build()) {
            var consumer = new SqsQueueConsumer(
                    sqs,
                    settings,
                    message -> {
                        if (!handled.add(message.messageId())) {
                            duplicates.incrementAndGet();
                        }
                        return "noop";
                    },
                    JsonMapper.builder().build(),
                    new SimpleMeterRegistry());
            counter.reset();
            var cpu = CpuTimes.now();
            long start = System.nanoTime();
            consumer.start();
            counter.awaitDeleted(backlog.messages(), Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            var cpuAfter = CpuTimes.now();
            long calls = counter.calls.get();
            consumer.stop();
            check("consumer", handled, duplicates, counter, backlog);
            return cpuAfter.since(cpu, backlog.messages(), seconds, calls, counter.peakReceives.get());
        }
    }

    private Run rawLoop(Backlog backlog, int threads) throws Exception {
        return rawLoop(backlog, threads, false);
    }

    /**
     * The baseline: threads, each ReceiveMessage(10) then DeleteMessageBatch of what it got, nothing else; on the
     * synchronous client (the bar), or on the asynchronous one the consumer uses, each call joined (for reference).
     */
    private Run rawLoop(Backlog backlog, int threads, boolean async) throws Exception {
        var queueUrl = backlog.url();
        var counter = new CallCounter();
        var handled = ConcurrentHashMap.<String>newKeySet();
        var duplicates = new AtomicInteger();
        var done = new AtomicBoolean();
        try (var syncClient = aws.configure(SqsClient.builder(), AwsService.SQS)
                        .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                        .build();
                var asyncClient = aws.configure(SqsAsyncClient.builder(), AwsService.SQS)
                        .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                        .build();
                var executor = Executors.newFixedThreadPool(threads)) {
            Function<ReceiveMessageRequest, List<Message>> receive = async
                    ? request -> asyncClient.receiveMessage(request).join().messages()
                    : request -> syncClient.receiveMessage(request).messages();
            Consumer<DeleteMessageBatchRequest> delete =
                    async ? request -> asyncClient.deleteMessageBatch(request).join() : syncClient::deleteMessageBatch;
            var futures = new ArrayList<Future<?>>();
            var cpu = CpuTimes.now();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    while (!done.get()) {
                        var messages = receive.apply(ReceiveMessageRequest.builder()
                                .queueUrl(queueUrl)
                                .maxNumberOfMessages(BATCH)
                                .waitTimeSeconds((int) WAIT.toSeconds())
                                .messageAttributeNames("All")
                                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                                .build());
                        if (messages.isEmpty()) {
                            continue;
                        }
                        for (var m : messages) {
                            if (!handled.add(m.messageId())) {
                                duplicates.incrementAndGet();
                            }
                        }
                        delete.accept(DeleteMessageBatchRequest.builder()
                                .queueUrl(queueUrl)
                                .entries(messages.stream()
                                        .map(m -> DeleteMessageBatchRequestEntry.builder()
                                                .id(m.messageId())
                                                .receiptHandle(m.receiptHandle())
                                                .build())
                                        .toList())
                                .build());
                    }
                    return null;
                }));
            }
            counter.awaitDeleted(backlog.messages(), Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            var cpuAfter = CpuTimes.now();
            long calls = counter.calls.get();
            done.set(true);
            for (var f : futures) {
                f.get();
            }
            check(async ? "raw loop (async client)" : "raw loop", handled, duplicates, counter, backlog);
            return cpuAfter.since(cpu, backlog.messages(), seconds, calls, counter.peakReceives.get());
        }
    }

    /** Correctness is not a timing: every message handled exactly once and deleted, none left behind. */
    private void check(
            String who, Set<String> handled, AtomicInteger duplicates, CallCounter counter, Backlog backlog) {
        var queueUrl = backlog.url();
        assertThat(handled).as(who + ": distinct messages handled").hasSize(backlog.messages());
        assertThat(duplicates.get()).as(who + ": messages handled twice").isZero();
        assertThat(counter.deleted.get()).as(who + ": messages deleted").isEqualTo(backlog.messages());
        try (var sqs = aws.sqs()) {
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes();
            assertThat(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .as(who + ": messages left")
                    .isEqualTo("0");
            assertThat(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .as(who + ": messages in flight")
                    .isEqualTo("0");
            sqs.deleteQueue(r -> r.queueUrl(queueUrl));
        }
    }

    /** A queue and the number of messages it was filled with. */
    private record Backlog(String url, int messages) {}

    /** A fresh queue (visibility 30 s, like shipping-orders) holding this many contract-shaped messages. */
    private Backlog filledQueue(int messages) throws Exception {
        try (var sqs = aws.sqs();
                var executor = Executors.newFixedThreadPool(4)) {
            var url = sqs.createQueue(r -> r.queueName("bench-consumer-"
                                    + UUID.randomUUID().toString().substring(0, 8))
                            .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")))
                    .queueUrl();
            var futures = new ArrayList<Future<?>>();
            var filled = new AtomicInteger();
            for (int t = 0; t < 4; t++) {
                futures.add(executor.submit(() -> {
                    for (int sent = 0; sent < messages / 4; sent += BATCH) {
                        var entries = new ArrayList<SendMessageBatchRequestEntry>();
                        for (int i = 0; i < BATCH; i++) {
                            var id = UUID.randomUUID().toString();
                            entries.add(SendMessageBatchRequestEntry.builder()
                                    .id(id)
                                    .messageBody(body(id))
                                    .build());
                        }
                        sqs.sendMessageBatch(r -> r.queueUrl(url).entries(entries));
                        filled.addAndGet(entries.size());
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
            return new Backlog(url, filled.get());
        }
    }

    private static String body(String id) {
        return """
                {"eventId":"%s","eventType":"OrderPlaced","orderId":"%s","customerId":"bench","fulfillment":"SHIP","country":"DE",\
                "currency":"EUR","total":61.50,"lines":[{"sku":"BOOK-1","quantity":2,"unitPrice":30.75}],"occurredAt":"2026-11-22T10:15:30Z"}""".formatted(id, UUID.randomUUID());
    }

    /**
     * Counts every SQS call a client makes, the entries its DeleteMessageBatch calls deleted, and the most
     * ReceiveMessage calls it had in flight at once.
     */
    private static final class CallCounter implements ExecutionInterceptor {
        final AtomicLong calls = new AtomicLong();
        final AtomicInteger deleted = new AtomicInteger();
        final AtomicInteger receiving = new AtomicInteger();
        final AtomicInteger peakReceives = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            calls.incrementAndGet();
            if (context.request() instanceof ReceiveMessageRequest) {
                peakReceives.accumulateAndGet(receiving.incrementAndGet(), Math::max);
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof DeleteMessageBatchResponse response) {
                deleted.addAndGet(response.successful().size());
            }
            if (context.request() instanceof ReceiveMessageRequest) {
                receiving.decrementAndGet();
            }
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ReceiveMessageRequest) {
                receiving.decrementAndGet();
            }
        }

        void reset() {
            calls.set(0);
        }

        void awaitDeleted(int expected, Duration timeout) {
            // A 1 ms poll keeps the measurement's end within a millisecond of the last delete.
            await().atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> deleted.get() >= expected);
        }
    }
}
