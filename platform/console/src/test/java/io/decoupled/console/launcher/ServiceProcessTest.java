package io.decoupled.console.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One service process: health wait, SIGTERM with a bound, a clear failure when it dies at startup, and a new port
 * when another process took the one it was given before it bound it.
 */
class ServiceProcessTest {
    @TempDir
    Path logs;

    @Test
    void aServiceThatDrainsOnSigtermStopsByItself() {
        var service =
                ServiceProcess.start("fake", fake(), Map.of(), EmbeddedSystem::freePort, logs.resolve("fake.log"));
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
                EmbeddedSystem::freePort,
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
                ServiceProcess.start("worker", fake(), Map.of(), EmbeddedSystem::freePort, logs.resolve("worker.log"));
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
    void aServiceThatExitsWhileStartingFailsFastWithItsLogAndIsNotStartedAgain() {
        var command = List.of(
                EmbeddedSystem.javaExecutable(), "-cp", System.getProperty("java.class.path"), "no.such.MainClass");
        var offered = new AtomicInteger();
        IntSupplier ports = () -> {
            offered.incrementAndGet();
            return EmbeddedSystem.freePort();
        };
        var service = ServiceProcess.start("broken", command, Map.of(), ports, logs.resolve("broken.log"));

        assertThatThrownBy(() -> service.awaitStarted(Duration.ofSeconds(60)))
                .hasMessageContaining("broken exited with code")
                .hasMessageContaining("no.such.MainClass");
        assertThat(offered).as("its port was free: not a lost race").hasValue(1);
    }

    @Test
    void aServiceWhosePortWasTakenBeforeItBoundItIsStartedAgainOnAnotherPort() throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int lost = taken.getLocalPort();
            var offered = new AtomicInteger();
            IntSupplier ports = () -> offered.getAndIncrement() == 0 ? lost : EmbeddedSystem.freePort();
            var service = ServiceProcess.start("late", fake(), Map.of(), ports, logs.resolve("late.log"));
            try {
                service.awaitStarted(Duration.ofSeconds(60));

                assertThat(service.isAlive()).isTrue();
                assertThat(service.url().getPort()).isNotEqualTo(lost);
                assertThat(offered).hasValue(2);
                assertThat(Files.readString(service.log()))
                        .as("the failed start's lines stay in the log, the new start's follow")
                        .contains("BindException")
                        .contains("fake service up on " + service.url().getPort());
            } finally {
                service.stop(Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void aServiceGivesUpAfterABoundedNumberOfTakenPorts() throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var offered = new AtomicInteger();
            IntSupplier ports = () -> {
                offered.incrementAndGet();
                return taken.getLocalPort();
            };
            var service = ServiceProcess.start("unlucky", fake(), Map.of(), ports, logs.resolve("unlucky.log"));

            assertThatThrownBy(() -> service.awaitStarted(Duration.ofSeconds(60)))
                    .hasMessageContaining("unlucky exited with code");
            assertThat(offered).hasValue(ServiceProcess.PORT_ATTEMPTS);
        }
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
