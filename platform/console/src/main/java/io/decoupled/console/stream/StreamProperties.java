package io.decoupled.console.stream;

import io.decoupled.topology.Topology;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the console watches the clickstream.
 *
 * @param leaseTable the KCL lease table of analytics-service; blank means "find the table whose key is
 *                   {@code leaseKey}" (the KCL names it after the application, which the console need not know)
 * @param rateWindow the window the ingest rate is averaged over
 * @param maxCallsPerShard GetRecords calls per shard and poll; AWS allows five a second per shard, shared with
 *                   the KCL, so the console stays well below
 */
@Validated
@ConfigurationProperties("console.stream")
public record StreamProperties(
        @DefaultValue(Topology.CLICKSTREAM) @NotBlank String name,
        @DefaultValue("") String leaseTable,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10s") Duration rateWindow,
        @DefaultValue("2") @Min(1) @Max(5) int maxCallsPerShard,
        @DefaultValue("2000000") @Min(1000) int maxTrackedRecordsPerShard) {}
