package io.decoupled.analytics.kcl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener.WorkerState;
import software.amazon.kinesis.coordinator.streamInfo.StreamIdCache;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.RetrievalSpecificConfig;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * Pattern: competing consumers over a partitioned stream, coordinated by leases (KCL 3). Each shard is read
 * by one worker at a time, in order; leases and checkpoints live in DynamoDB, so a worker that stops or dies
 * hands its shards to the others, which resume from the last checkpoint instead of from the start or the end.
 *
 * <p>Retrieval is polling (GetRecords): it works on every Kinesis endpoint, including emulators without
 * SubscribeToShard, and a shared stream with few consumers does not need enhanced fan-out. The scheduler
 * stops gracefully in {@link #stop()}: processors get {@code shutdownRequested} and checkpoint what they made
 * durable, and the leases are released for the other workers.
 *
 * <p>On an empty lease table the KCL waits a random 1-30 s before it creates the shards' leases, so that a fleet
 * starting together does not list the stream from every worker at once. On one machine there is no fleet, and the
 * wait is all of the demo's time to its first click counted; with {@code analytics.kcl.seed-leases} the worker
 * creates the leases first, with the KCL's own shard sync (the same task the KCL would run after the wait), and the
 * KCL then finds a table that is not empty. Two workers seeding at once is safe (the sync creates each lease only
 * if it does not exist); it is off by default because in AWS the wait is what the KCL intends.
 */
public final class KclWorker implements SmartLifecycle, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(KclWorker.class);

    private final KclProperties properties;
    private final String workerId;
    private final Scheduler scheduler;
    private volatile boolean running;
    private volatile boolean started;
    private volatile WorkerState state = WorkerState.CREATED;
    private volatile boolean seeding;

    KclWorker(
            KclProperties properties,
            KinesisAsyncClient kinesis,
            DynamoDbAsyncClient dynamoDb,
            CloudWatchAsyncClient cloudWatch,
            ShardRecordProcessorFactory processorFactory) {
        this.properties = properties;
        this.workerId = properties.workerId() != null && !properties.workerId().isBlank()
                ? properties.workerId()
                : defaultWorkerId();
        var tracker = new SingleStreamTracker(
                properties.stream(), InitialPositionInStreamExtended.newInitialPosition(properties.initialPosition()));
        var configs = new ConfigsBuilder(
                tracker, properties.applicationName(), kinesis, dynamoDb, cloudWatch, workerId, processorFactory);

        var leases = leaseManagement(configs.leaseManagementConfig(), properties);
        var coordinator = configs.coordinatorConfig()
                .parentShardPollIntervalMillis(
                        properties.parentShardPollInterval().toMillis())
                .shardConsumerDispatchPollIntervalMillis(
                        properties.dispatchPollInterval().toMillis())
                .schedulerInitializationBackoffTimeMillis(
                        properties.dispatchPollInterval().toMillis())
                .workerStateChangeListener(newState -> state = newState);
        var retrieval = configs.retrievalConfig().retrievalSpecificConfig(retrievalFor(properties, kinesis));
        var metrics = configs.metricsConfig().metricsLevel(properties.metricsLevel());
        if (properties.metricsLevel() == MetricsLevel.NONE) {
            // No CloudWatch calls at all, not even empty flushes, where no CloudWatch endpoint exists.
            metrics.metricsFactory(new NullMetricsFactory());
        }
        this.scheduler = new Scheduler(
                configs.checkpointConfig(),
                coordinator,
                leases,
                configs.lifecycleConfig(),
                metrics,
                configs.processorConfig(),
                retrieval);
    }

    /** The lease settings: the intervals of {@link KclProperties}, and the lease table's protection in AWS. */
    static LeaseManagementConfig leaseManagement(LeaseManagementConfig config, KclProperties properties) {
        var leases = config.failoverTimeMillis(properties.failoverTime().toMillis())
                .shardSyncIntervalMillis(properties.shardSyncInterval().toMillis())
                .leasesRecoveryAuditorExecutionFrequencyMillis(
                        properties.shardSyncInterval().toMillis())
                // The leader lock bounds how long lease assignment stops when the leader dies (kill -9, a lost task).
                .dynamoDbLockBasedLeaderLeaseDurationInMillis(
                        properties.leaderLockDuration().toMillis())
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(
                        properties.leaderHeartbeat().toMillis());
        if (properties.leaseAssignmentInterval() != null) {
            leases.leaseAssignmentIntervalMillis(
                    properties.leaseAssignmentInterval().toMillis());
        }
        leases.workerUtilizationAwareAssignmentConfig()
                .workerMetricsReporterFreqInMillis(
                        properties.workerMetricsReportInterval().toMillis())
                .inMemoryWorkerMetricsCaptureFrequencyMillis(
                        Math.min(1000L, properties.workerMetricsReportInterval().toMillis()));
        // Deletion protection is set when the KCL creates the table; PITR is switched on at every start.
        leases.leaseTableDeletionProtectionEnabled(properties.leaseTableProtection())
                .leaseTablePitrEnabled(properties.leaseTableProtection());
        return leases;
    }

    /**
     * Polling by default: kinesalite has no SubscribeToShard, and with two readers of the stream (this application and
     * Firehose) the shared 2 MB/s per shard is enough. Enhanced fan-out when the deployment asks for it.
     */
    static RetrievalSpecificConfig retrievalFor(KclProperties properties, KinesisAsyncClient kinesis) {
        return switch (properties.retrieval()) {
            case POLLING ->
                new PollingConfig(properties.stream(), kinesis)
                        .idleTimeBetweenReadsInMillis(
                                properties.idleTimeBetweenReads().toMillis())
                        .maxRecords(properties.maxRecords());
            case FAN_OUT -> {
                var fanOut = new FanOutConfig(kinesis)
                        .streamName(properties.stream())
                        .applicationName(properties.applicationName());
                if (properties.consumerArn() != null
                        && !properties.consumerArn().isBlank()) {
                    fanOut.consumerArn(properties.consumerArn());
                }
                yield fanOut;
            }
        };
    }

    /** The worker's state and the leases it holds, for the console (what the consumer is waiting for). */
    KclStatus status() {
        return KclStatus.of(
                state, seeding, scheduler.leaseCoordinator().getAssignments().size(), properties);
    }

    public String workerId() {
        return workerId;
    }

    /**
     * Creates the lease table and, when it is empty, the leases of the stream's shards at the initial position,
     * through the scheduler's own lease refresher and shard sync. Returns the number of leases in the table after.
     * A failure is logged and left to the KCL, whose own initialisation retries it.
     */
    int seedLeases() {
        seeding = true;
        try {
            var leases = scheduler.leaseRefresher();
            leases.createLeaseTableIfNotExists();
            // Its own bound: the scheduler waits for this seeding, so a table that stays CREATING delays the consumer's
            // start by at most this long before the KCL takes over as it would without seeding.
            if (!leases.waitUntilLeaseTableExists(
                    1, Math.max(1, properties.seedLeasesTimeout().toSeconds()))) {
                log.warn(
                        "KCL lease table did not become active within {}; the KCL will create the leases itself",
                        properties.seedLeasesTimeout());
                return 0;
            }
            if (leases.isLeaseTableEmpty()) {
                // The shard detector reads the stream id from this process-wide cache, which the scheduler fills at
                // the start of its own initialisation (the same call; the first one wins, later ones do nothing).
                StreamIdCache.initialize(
                        scheduler.streamIdCacheManager(),
                        scheduler.leaseManagementConfig().streamIdOnboardingState());
                for (var stream : scheduler.currentStreamConfigMap().values()) {
                    var result = scheduler
                            .shardSyncTaskManagerProvider()
                            .apply(stream)
                            .callShardSyncTask();
                    if (result.getException() != null) {
                        log.warn(
                                "Seeding the leases of {} failed; the KCL will create them itself",
                                stream.streamIdentifier(),
                                result.getException());
                    }
                }
            }
            int count = leases.listLeases().size();
            log.info("KCL lease table holds {} leases before the scheduler starts", count);
            return count;
        } catch (Exception e) {
            log.warn("Seeding the KCL leases failed; the KCL will create them itself", e);
            return 0;
        } finally {
            seeding = false;
        }
    }

    @Override
    public void start() {
        Runnable run = properties.seedLeases()
                ? () -> {
                    seedLeases();
                    scheduler.run();
                }
                : scheduler;
        Thread.ofPlatform().name("kcl-scheduler-" + workerId).daemon(true).start(run);
        started = true;
        running = true;
        log.info(
                "KCL worker {} started for stream {} (application {})",
                workerId,
                properties.stream(),
                properties.applicationName());
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            boolean clean = scheduler
                    .startGracefulShutdown()
                    .get(properties.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            log.info("KCL worker {} shut down {}", workerId, clean ? "gracefully" : "without every final checkpoint");
        } catch (TimeoutException | ExecutionException e) {
            log.warn(
                    "KCL worker {} did not shut down gracefully within {}; stopping it",
                    workerId,
                    properties.shutdownTimeout(),
                    e);
            scheduler.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdown();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * The scheduler creates its thread pools when it is constructed, some of them with non-daemon threads. When the
     * application context fails after this bean was created but before it was started (the web port taken, a bad
     * setting further on), {@link #stop()} is never called; without this the pools would keep a JVM alive that
     * answers nothing, where a failed start must end the process.
     */
    @Override
    public void destroy() {
        if (!started) {
            scheduler.shutdown();
        }
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
