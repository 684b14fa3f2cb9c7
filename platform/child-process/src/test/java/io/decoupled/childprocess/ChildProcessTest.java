package io.decoupled.childprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one child-process wrapper, with small {@code sh} children (and one child JVM for the exit cleanup): readiness,
 * the graceful stop and its bound, SIGKILL with the descendants, the failure messages, the log, and the cleanup when
 * the JVM that started a child exits without stopping it.
 */
class ChildProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Pattern GRANDCHILD = Pattern.compile("grandchild (\\d+)");

    /** Prints "ready", says "stopping" and exits 0 on SIGTERM. */
    private static final String DRAINS_ON_TERM =
            "trap 'echo stopping; exit 0' TERM; echo ready; while :; do sleep 0.1; done";

    @TempDir
    Path logs;

    private ChildProcess child;

    @AfterEach
    void stopTheChild() {
        if (child != null) {
            child.kill();
        }
    }

    @Test
    void aChildIsReadyWhenItsReadinessSaysSoAndStopsByItselfOnSigterm() {
        child = ChildProcess.start(sh("drains", DRAINS_ON_TERM));

        assertThat(child.awaitReady("ready", TIMEOUT, POLL, ChildProcessTest::saidReady))
                .isTrue();
        assertThat(child.isAlive()).isTrue();
        assertThat(ProcessHandle.of(child.pid())).isPresent();

        assertThat(child.stop(Duration.ofSeconds(30))).isTrue();
        assertThat(child.isAlive()).isFalse();
        assertThat(child.tail()).contains("stopping");
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledOnceTheGraceIsOver() {
        child = ChildProcess.start(sh("stuck", "trap '' TERM; echo ready; while :; do sleep 0.1; done"));
        child.awaitReady("ready", TIMEOUT, POLL, ChildProcessTest::saidReady);

        assertThat(child.stop(Duration.ofMillis(500))).isFalse();
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void killingIsASigkillThatRunsNoHandlerAndTakesTheDescendantsWithIt() {
        child = ChildProcess.start(sh("victim", "sleep 600 & echo grandchild $!; " + DRAINS_ON_TERM));
        long grandchild = child.awaitReady("ready", TIMEOUT, POLL, ChildProcessTest::grandchildOnceReady);
        assertThat(ProcessHandle.of(grandchild)).get().matches(ProcessHandle::isAlive);

        child.kill();

        assertThat(child.isAlive()).isFalse();
        assertThat(child.tail()).as("SIGKILL runs no trap").doesNotContain("stopping");
        await().atMost(TIMEOUT)
                .untilAsserted(() ->
                        assertThat(isAlive(grandchild)).as("the grandchild").isFalse());
    }

    @Test
    void aChildThatExitsBeforeItIsReadyFailsFastQuotingItsLog() {
        child = ChildProcess.start(sh("broken", "echo no such configuration; exit 3"));

        assertThatThrownBy(() -> child.awaitReady("healthy", TIMEOUT, POLL, never()))
                .hasMessageContaining("broken exited with code 3 before it was healthy")
                .hasMessageContaining("no such configuration")
                .hasMessageContaining(child.logFile().toString());
    }

    @Test
    void aChildThatIsNotReadyInTimeFailsQuotingItsLogAndKeepsRunning() {
        child = ChildProcess.start(sh("slow", "echo still starting; while :; do sleep 0.1; done"));
        await().atMost(TIMEOUT).until(() -> child.tail().contains("still starting"));

        assertThatThrownBy(() -> child.awaitReady("healthy", Duration.ofMillis(300), POLL, never()))
                .hasMessageContaining("slow was not healthy within PT0.3S")
                .hasMessageContaining("still starting");
        assertThat(child.isAlive()).isTrue();
    }

    @Test
    void theChildGetsItsEnvironmentWorkingDirectoryAndStdin(@TempDir Path directory) throws Exception {
        child = ChildProcess.start(sh("echo", "read line; echo \"$GREETING from $(pwd -P): $line\"")
                .withVariable("GREETING", "hello")
                .inDirectory(directory));

        child.send("a line on stdin");

        assertThat(child.awaitExit(TIMEOUT)).hasValue(0);
        assertThat(Files.readString(child.logFile()))
                .isEqualTo("hello from " + directory.toRealPath() + ": a line on stdin\n");
    }

    @Test
    void aReplacementAppendsToItsPredecessorsLogAndAFreshStartReplacesIt() {
        var launch = sh("once", "echo started");
        assertThat(ChildProcess.start(launch).awaitExit(TIMEOUT)).hasValue(0);
        assertThat(ChildProcess.start(launch.appendingToLog()).awaitExit(TIMEOUT))
                .hasValue(0);
        assertThat(ChildProcess.tail(launch.logFile())).isEqualTo("started\nstarted");

        assertThat(ChildProcess.start(launch).awaitExit(TIMEOUT)).hasValue(0);
        assertThat(ChildProcess.tail(launch.logFile())).isEqualTo("started");
    }

    @Test
    void awaitingTheExitOfAChildThatRunsOnReturnsEmptyAfterTheTimeout() {
        child = ChildProcess.start(sh("runs-on", "while :; do sleep 0.1; done"));

        assertThat(child.awaitExit(Duration.ofMillis(200))).isEmpty();
        assertThat(child.isAlive()).isTrue();
    }

    /** The JVM-exit hook: a JVM that starts a child and exits without stopping it leaves nothing running. */
    @Test
    void aChildLeftRunningIsStoppedWhenTheJvmThatStartedItExits() {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var owner = ChildProcess.start(Launch.of(
                "owner",
                List.of(
                        java,
                        "-Xmx32m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LeavesAChildRunning.class.getName(),
                        logs.resolve("left-running.log").toString()),
                logs.resolve("owner.log")));
        long leftRunning = owner.awaitReady("reporting its child", TIMEOUT, POLL, LeavesAChildRunning::reportedChild);

        assertThat(owner.awaitExit(TIMEOUT)).hasValue(0);
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(isAlive(leftRunning))
                        .as("the child the exited JVM never stopped")
                        .isFalse());
    }

    private Launch sh(String name, String script) {
        return Launch.of(name, List.of("sh", "-c", script), logs.resolve(name + ".log"));
    }

    private static Optional<Boolean> saidReady(ChildProcess child) {
        return child.tail().lines().anyMatch("ready"::equals) ? Optional.of(true) : Optional.empty();
    }

    private static Optional<Long> grandchildOnceReady(ChildProcess child) {
        var matcher = GRANDCHILD.matcher(child.tail());
        return matcher.find() && saidReady(child).isPresent()
                ? Optional.of(Long.parseLong(matcher.group(1)))
                : Optional.empty();
    }

    private static <T> Readiness<T> never() {
        return child -> Optional.empty();
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
