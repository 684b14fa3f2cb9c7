package io.decoupled.console.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One service process: health wait, SIGTERM with a bound, and a clear failure when it dies at startup. */
class ServiceProcessTest {
    @TempDir
    Path logs;

    @Test
    void aServiceThatDrainsOnSigtermStopsByItself() {
        var service =
                ServiceProcess.start("fake", fake(), Map.of(), EmbeddedSystem.freePort(), logs.resolve("fake.log"));
        service.awaitHealthy(Duration.ofSeconds(60));

        assertThat(service.stop(Duration.ofSeconds(20))).isTrue();
        assertThat(service.isAlive()).isFalse();
        assertThat(service.tail()).contains("draining");
    }

    @Test
    void aServiceThatNeverFinishesDrainingIsKilledAfterTheGracePeriod() {
        var service = ServiceProcess.start(
                "stuck",
                fake(),
                Map.of("FAKE_IGNORE_TERM", "true"),
                EmbeddedSystem.freePort(),
                logs.resolve("stuck.log"));
        service.awaitHealthy(Duration.ofSeconds(60));

        long started = System.nanoTime();
        assertThat(service.stop(Duration.ofSeconds(2))).isFalse();
        assertThat(service.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void killingAWorkerIsASigkillWithNoDrainAndAReplacementAnswersOnTheSamePortLoggingToTheSameFile() {
        var service =
                ServiceProcess.start("worker", fake(), Map.of(), EmbeddedSystem.freePort(), logs.resolve("worker.log"));
        service.awaitHealthy(Duration.ofSeconds(60));
        var victim = ProcessHandle.of(service.pid()).orElseThrow();
        var url = service.url();

        long killed = service.killAndReplace();

        assertThat(killed).isEqualTo(victim.pid());
        assertThat(victim.isAlive()).isFalse();
        assertThat(service.pid()).isNotEqualTo(killed);
        assertThat(service.tail()).as("SIGKILL runs no shutdown hook").doesNotContain("draining");
        service.awaitHealthy(Duration.ofSeconds(60));
        assertThat(service.url()).isEqualTo(url);
        assertThat(service.tail().lines().filter(l -> l.startsWith("fake service up on " + url.getPort())))
                .hasSize(2);

        assertThat(service.stop(Duration.ofSeconds(20))).isTrue();
        assertThatThrownBy(service::killAndReplace).hasMessageContaining("stopping");
        assertThat(service.isAlive()).isFalse();
    }

    @Test
    void aServiceThatExitsWhileStartingFailsFastWithItsLog() {
        var command = List.of(
                EmbeddedSystem.javaExecutable(), "-cp", System.getProperty("java.class.path"), "no.such.MainClass");
        var service = ServiceProcess.start(
                "broken", command, Map.of(), EmbeddedSystem.freePort(), logs.resolve("broken.log"));

        assertThatThrownBy(() -> service.awaitHealthy(Duration.ofSeconds(60)))
                .hasMessageContaining("broken exited with code")
                .hasMessageContaining("no.such.MainClass");
    }

    @Test
    void onlyBuiltJarsAreStarted(@TempDir Path root) throws Exception {
        var order = ServiceDefinition.ALL.getFirst();
        var command = EmbeddedSystem.Options.jarCommand(root, "1.0");
        assertThat(command.apply(order)).isEmpty();

        Path jar = root.resolve("order-service/target/order-service-1.0.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        assertThat(command.apply(order))
                .get()
                .asList()
                .endsWith("-jar", jar.toString())
                // the demo's memory options (docs/benchmarks.md): a bounded heap, the serial collector, C1 only
                .contains(
                        "-Xms48m",
                        "-Xmx192m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+ExitOnOutOfMemoryError");
    }

    static List<String> fake() {
        return List.of(
                EmbeddedSystem.javaExecutable(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                FakeService.class.getName());
    }
}
