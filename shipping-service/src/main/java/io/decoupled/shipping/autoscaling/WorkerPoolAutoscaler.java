package io.decoupled.shipping.autoscaling;

import io.decoupled.shipping.consumer.WorkerPoolControl;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Autoscaling on backlog per worker, locally: samples the queue's ApproximateNumberOfMessagesVisible on an
 * interval, asks the {@link ScalingPolicy} for a pool size and resizes the consumer's worker pool. The
 * same policy scales ECS tasks in AWS by target tracking (see docs/shipping-service.md). Every decision is
 * a metric; changes are logged at INFO, holds at DEBUG.
 */
@Component
@ConditionalOnProperty(prefix = "shipping.autoscaling", name = "enabled", havingValue = "true", matchIfMissing = true)
class WorkerPoolAutoscaler implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WorkerPoolAutoscaler.class);

    private final SqsAsyncClient sqs;
    private final WorkerPoolControl pool;
    private final AutoscalingProperties settings;
    private final ScalingPolicy policy;
    private final MeterRegistry meters;
    private final Clock clock;
    private final AtomicReference<ScalingDecision> last = new AtomicReference<>();
    private ScheduledExecutorService sampler;

    WorkerPoolAutoscaler(
            SqsAsyncClient sqs,
            WorkerPoolControl pool,
            AutoscalingProperties settings,
            MeterRegistry meters,
            Clock clock) {
        this.sqs = sqs;
        this.pool = pool;
        this.settings = settings;
        this.policy = ScalingPolicy.of(settings);
        this.meters = meters;
        this.clock = clock;
        Gauge.builder("shipping.workers.current", pool, WorkerPoolControl::currentWorkers)
                .description("Size of the worker pool")
                .register(meters);
        Gauge.builder(
                        "shipping.workers.desired",
                        last,
                        d -> d.get() == null ? Double.NaN : d.get().desiredWorkers())
                .register(meters);
        Gauge.builder(
                        "shipping.backlog.per.worker",
                        last,
                        d -> d.get() == null ? Double.NaN : d.get().backlogPerWorker())
                .register(meters);
        Gauge.builder(
                        "shipping.backlog.acceptable.per.worker",
                        last,
                        d -> d.get() == null ? Double.NaN : d.get().acceptableBacklogPerWorker())
                .register(meters);
    }

    void sampleAndResize() {
        var queueUrl = pool.queueUrl();
        if (queueUrl.isEmpty()) {
            return;
        }
        var attributes = sqs.getQueueAttributes(r ->
                        r.queueUrl(queueUrl.get()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .join()
                .attributes();
        long visible = Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
        int current = pool.currentWorkers();
        var decision = policy.decide(
                new ScalingSample(clock.instant(), visible, current, pool.busyWorkers(), pool.averageProcessingTime()));
        last.set(decision);
        meters.counter("shipping.scaling.decisions", "reason", decision.reason().name())
                .increment();
        if (decision.desiredWorkers() != current) {
            pool.resize(decision.desiredWorkers());
            log.info(
                    "Workers {} -> {} ({}): {} visible, backlog per worker {}, acceptable {}",
                    current,
                    decision.desiredWorkers(),
                    decision.reason(),
                    visible,
                    String.format("%.1f", decision.backlogPerWorker()),
                    String.format("%.1f", decision.acceptableBacklogPerWorker()));
        } else {
            log.debug("Workers stay at {} ({}): {} visible", current, decision.reason(), visible);
        }
    }

    private void sampleSafely() {
        try {
            sampleAndResize();
        } catch (RuntimeException e) {
            // Keep the current size: scaling on a guess is worse than not scaling for one interval.
            log.warn("Autoscaler could not sample the queue; keeping {} workers", pool.currentWorkers(), e);
        }
    }

    @Override
    public synchronized void start() {
        sampler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("worker-autoscaler").daemon().factory());
        long interval = settings.sampleInterval().toNanos();
        sampler.scheduleWithFixedDelay(this::sampleSafely, interval, interval, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
            sampler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return sampler != null;
    }

    /** Starts after the consumer (which resolves the queue URL) and stops before it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 500;
    }
}
