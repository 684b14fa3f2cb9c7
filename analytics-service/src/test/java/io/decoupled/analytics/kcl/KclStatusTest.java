package io.decoupled.analytics.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener.WorkerState;

/** The panel's sentence says what the consumer waits for, from the worker's own state and leases. */
class KclStatusTest {

    @Test
    void beforeTheFirstLeaseItSaysWhatTheWorkerIsWaitingFor() {
        var local = bind(Map.of("analytics.kcl.lease-assignment-interval", "2s"));
        assertThat(KclStatus.of(WorkerState.INITIALIZING, false, 0, local).status())
                .contains("initialising", "lease-table scan", "1-30 s");
        assertThat(KclStatus.of(WorkerState.STARTED, false, 0, local).status())
                .isEqualTo("KCL: waiting for leases (leader election, then lease assignment every 2000 ms)");
        // AWS defaults: no interval set, so the KCL assigns every two failover times.
        assertThat(KclStatus.of(WorkerState.STARTED, false, 0, bind(Map.of("analytics.kcl.failover-time", "10s")))
                        .status())
                .endsWith("every 20000 ms)");
    }

    @Test
    void whenItSeedsTheLeasesItSaysSoAndPromisesNoRandomWait() {
        var seeding = bind(Map.of("analytics.kcl.seed-leases", "true"));
        assertThat(KclStatus.of(WorkerState.CREATED, true, 0, seeding).status())
                .isEqualTo("KCL: creating the shards' leases (empty lease table)");
        assertThat(KclStatus.of(WorkerState.INITIALIZING, false, 0, seeding).status())
                .contains("initialising")
                .doesNotContain("1-30 s");
        assertThat(KclStatus.of(WorkerState.CREATED, false, 0, seeding).status())
                .isEqualTo("KCL: not started yet");
    }

    @Test
    void withLeasesItSaysHowManyShardsItReads() {
        var status = KclStatus.of(WorkerState.STARTED, false, 2, bind(Map.of()));
        assertThat(status.status()).isEqualTo("KCL: reading 2 shards");
        assertThat(status.state()).isEqualTo("STARTED");
        assertThat(status.leasesHeld()).isEqualTo(2);
        assertThat(KclStatus.of(WorkerState.STARTED, false, 1, bind(Map.of())).status())
                .isEqualTo("KCL: reading 1 shard");
    }

    private static KclProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("analytics.kcl", KclProperties.class);
    }
}
