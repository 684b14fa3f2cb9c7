package io.decoupled.analytics.kcl;

import io.decoupled.topology.Topology;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.metrics.MetricsLevel;

/**
 * Settings of the KCL worker. The defaults are the KCL's own, for AWS; the intervals are properties because
 * with them a fresh worker took over a minute to get its first lease (leader election and worker-metrics
 * cycles), which tests and the local demo shorten through configuration, not through code.
 *
 * @param enabled                      whether this instance consumes the stream at all
 * @param applicationName              the consumer group: names the lease table (and the KCL's other tables)
 * @param stream                       the stream to consume
 * @param workerId                     unique per instance; default host name plus a random suffix
 * @param initialPosition              where a shard without a checkpoint starts
 * @param metricsLevel                 KCL CloudWatch metrics; NONE where there is no CloudWatch (the emulators)
 * @param failoverTime                 a lease not renewed for this long is taken by another worker
 * @param leaseAssignmentInterval      how often the leader assigns leases; empty = twice the failover time
 * @param leaderLockDuration           how long the leader's DynamoDB lock lasts without a heartbeat: after the leader
 *                                     dies, no worker assigns leases for up to this long (the KCL's default, 2 min)
 * @param leaderHeartbeat              how often the leader renews its lock and followers check for a vacant one
 * @param shardSyncInterval            how often shards are listed to find children after a reshard
 * @param workerMetricsReportInterval  how often a worker reports its utilization (a worker is active only once it has)
 * @param parentShardPollInterval      how often a child shard checks whether its parents are finished
 * @param dispatchPollInterval         the scheduler's loop interval
 * @param retrieval                    POLLING (GetRecords, the default; the only one kinesalite offers) or FAN_OUT
 *                                     (enhanced fan-out: SubscribeToShard on a registered consumer, 2 MB/s per shard of
 *                                     its own, records pushed); see docs/choosing.md
 * @param consumerArn                  with FAN_OUT, the consumer registered by the deployment (CloudFormation); empty
 *                                     lets the KCL register one named after the application (needs RegisterStreamConsumer)
 * @param idleTimeBetweenReads         pause between GetRecords calls of a shard (polling retrieval)
 * @param maxRecords                   records per GetRecords call
 * @param shutdownTimeout              how long a graceful shutdown may take (final checkpoints, lease release)
 * @param seedLeases                   create the shards' leases before the scheduler starts when the lease table is
 *                                     empty (see {@link KclWorker}); off by default, on for one machine
 * @param seedLeasesTimeout            with {@code seedLeases}, how long seeding waits for the lease table to become
 *                                     active before it leaves the leases to the KCL (whole seconds, at least one)
 * @param leaseTableProtection         deletion protection and point-in-time recovery on the lease table the KCL
 *                                     creates: the checkpoints are what make a restart resume instead of replaying or
 *                                     skipping the stream. Off for the emulators; the CDK app turns it on in AWS
 */
@Validated
@ConfigurationProperties("analytics.kcl")
public record KclProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("analytics-service") @NotBlank String applicationName,
        @DefaultValue(Topology.CLICKSTREAM) @NotBlank String stream,
        String workerId,
        @DefaultValue("TRIM_HORIZON") @NotNull InitialPositionInStream initialPosition,
        @DefaultValue("NONE") @NotNull MetricsLevel metricsLevel,
        @DefaultValue("10s") @NotNull Duration failoverTime,
        Duration leaseAssignmentInterval,
        @DefaultValue("120s") @NotNull Duration leaderLockDuration,
        @DefaultValue("30s") @NotNull Duration leaderHeartbeat,
        @DefaultValue("60s") @NotNull Duration shardSyncInterval,
        @DefaultValue("30s") @NotNull Duration workerMetricsReportInterval,
        @DefaultValue("10s") @NotNull Duration parentShardPollInterval,
        @DefaultValue("1s") @NotNull Duration dispatchPollInterval,
        @DefaultValue("POLLING") @NotNull Retrieval retrieval,
        String consumerArn,
        @DefaultValue("1500ms") @NotNull Duration idleTimeBetweenReads,
        @DefaultValue("10000") @Min(1) @Max(10000) int maxRecords,
        @DefaultValue("30s") @NotNull Duration shutdownTimeout,
        @DefaultValue("false") boolean seedLeases,
        @DefaultValue("60s") @NotNull Duration seedLeasesTimeout,
        @DefaultValue("false") boolean leaseTableProtection) {

    /** How the KCL reads the shards. */
    public enum Retrieval {
        POLLING,
        FAN_OUT
    }
}
