package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class CpuPlacementTest {
    @Test
    void separateGivesTheServersTheLastCoreAndTheClientTheRest() {
        assertThat(CpuPlacement.split("separate", 2)).isEqualTo(new CpuPlacement.Split("0", "1"));
        assertThat(CpuPlacement.split("separate", 8)).isEqualTo(new CpuPlacement.Split("0-6", "7"));
        assertThat(CpuPlacement.split("separate", 1)).as("nothing to separate").isNull();
    }

    @Test
    void sharedLeavesEveryProcessOnEveryCore() {
        assertThat(CpuPlacement.split("shared", 2)).isEqualTo(new CpuPlacement.Split("0-1", "0-1"));
    }

    @Test
    void anUnknownModeIsRefusedRatherThanMeasuredUnplaced() {
        assertThatThrownBy(() -> CpuPlacement.split("pinned", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("separate or shared");
    }

    @Test
    void placesEveryThreadOfAProcess() throws Exception {
        assumeTrue(CpuPlacement.machineCores() >= 2, "one core: nothing to place");
        Process sleeper;
        try {
            sleeper = new ProcessBuilder("taskset", "-c", "0-1", "sleep", "30").start();
        } catch (IOException e) {
            assumeTrue(false, "no taskset here: " + e.getMessage());
            return;
        }
        try {
            // Until it runs sleep, the process is taskset, about to set its own CPUs: a placement before that is
            // undone.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sleeper.toHandle()
                            .info()
                            .command()
                            .map(command -> command.endsWith("sleep"))
                            .orElse(false));
            var failures = new ArrayList<String>();
            CpuPlacement.place(sleeper.toHandle(), "1", failures);
            assertThat(failures).isEmpty();
            assertThat(cpusOf(sleeper.pid())).isEqualTo("1");
            CpuPlacement.place(sleeper.toHandle(), "0-1", failures);
            assertThat(cpusOf(sleeper.pid())).isEqualTo("0-1");
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void aFailedPlacementIsRecordedNotIgnored() {
        var failures = new ArrayList<String>();
        // A CPU this machine does not have.
        CpuPlacement.place(ProcessHandle.current(), String.valueOf(CpuPlacement.machineCores() + 64), failures);
        assertThat(failures).hasSize(1);
    }

    /** The CPU list of a process's main thread as Linux reports it ({@code Cpus_allowed_list}). */
    private static String cpusOf(long pid) throws Exception {
        var status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"), StandardCharsets.UTF_8);
        return status.lines()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring("Cpus_allowed_list:".length()).strip())
                .findFirst()
                .orElseThrow();
    }
}
