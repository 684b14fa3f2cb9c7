package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    /** A shell loop that burns a few hundred milliseconds of CPU. */
    private static final String BUSY = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done";

    @Test
    void countsAChildThatEndedAndWasWaitedFor() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "no /proc here");
        // The outer shell waits for the busy one, then sleeps: its own time is next to nothing.
        var outer = new ProcessBuilder("sh", "-c", "sh -c '" + BUSY + "'; exec sleep 30").start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> isSleeping(outer.toHandle()));
            var ownOnly = outer.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
            var tree = ProcessCpu.ofTree(outer.toHandle());
            assertThat(tree).as("the ended child's time").isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(ownOnly).as("what the JDK reports for the process alone").isLessThan(tree.dividedBy(2));
        } finally {
            outer.destroyForcibly().waitFor();
        }
    }

    @Test
    void countsChildrenStillRunning() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "no /proc here");
        // The outer shell starts the busy one and waits; the busy one ends by sleeping, still a child.
        var outer = new ProcessBuilder("sh", "-c", "sh -c '" + BUSY + "; exec sleep 30'; exit 0").start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> outer.toHandle().children().anyMatch(ProcessCpuTest::isSleeping));
            assertThat(outer.toHandle().info().totalCpuDuration().orElse(Duration.ZERO))
                    .isLessThan(Duration.ofMillis(50));
            assertThat(ProcessCpu.ofTree(outer.toHandle())).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(ProcessCpu.ofTrees(Stream.of(outer.toHandle(), outer.toHandle())))
                    .isEqualTo(ProcessCpu.ofTree(outer.toHandle()).multipliedBy(2));
        } finally {
            outer.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            outer.destroyForcibly().waitFor();
        }
    }

    @Test
    void aProcessThatEndedCountsAsNothingRatherThanFailing() throws Exception {
        var ended = new ProcessBuilder("true").start();
        ended.waitFor();
        // Waited for, it has left /proc: nothing to read, and no exception out of a benchmark's measurement.
        assertThat(ProcessCpu.ofTree(ended.toHandle())).isEqualTo(Duration.ZERO);
    }

    private static boolean isSleeping(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("sleep")).orElse(false);
    }
}
