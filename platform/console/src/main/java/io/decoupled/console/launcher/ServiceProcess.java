package io.decoupled.console.launcher;

import io.decoupled.childprocess.ChildProcess;
import io.decoupled.childprocess.Launch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One service as a {@link ChildProcess}: its own port, its environment (the AWS endpoints and database it is to
 * use, nothing else), its output in a log file. What is particular to a service stays here: it is ready when
 * {@code /actuator/health} says UP, it stops as an orchestrator stops it (SIGTERM, which starts Spring's graceful
 * shutdown, then SIGKILL only after a bound), and the kill-a-worker fault replaces it on the same port, logging to
 * the same file.
 */
final class ServiceProcess {
    private static final Duration HEALTH_POLL = Duration.ofMillis(500);

    private final int port;
    private final Launch launch;
    // Replaced by killAndReplace (the kill-a-worker fault switch); everything else reads the current one.
    private volatile ChildProcess process;
    private boolean stopped;

    private ServiceProcess(int port, Launch launch, ChildProcess process) {
        this.port = port;
        this.launch = launch;
        this.process = process;
    }

    /**
     * Starts a service. The child's stdin stays a pipe held by this JVM and is never written: services
     * ignore it, and it keeps the child from reading the terminal.
     */
    static ServiceProcess start(
            String name, List<String> command, Map<String, String> environment, int port, Path log) {
        var launch =
                Launch.of(name, command, log).withEnvironment(environment).withVariable("PORT", Integer.toString(port));
        return new ServiceProcess(port, launch, ChildProcess.start(launch));
    }

    /**
     * The kill-a-worker fault: SIGKILL, so the process gets no chance to finish, delete or release anything (what an
     * OOM kill or a lost host does), then a replacement with the same command, environment and port, its output
     * appended to the same log. Returns the pid that was killed. The replacement is not awaited: see {@link #awaitHealthy}.
     */
    synchronized long killAndReplace() {
        if (stopped) {
            throw new IllegalStateException(name() + " is stopping with the system; nothing to replace");
        }
        var victim = process;
        long pid = victim.pid();
        victim.kill();
        process = ChildProcess.start(launch.appendingToLog());
        return pid;
    }

    String name() {
        return launch.name();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    Path log() {
        return launch.logFile();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until {@code /actuator/health} says UP. Fails fast, with the log's tail, when the process exits
     * first; returns how long it took since the process started.
     */
    Duration awaitHealthy(Duration timeout) {
        var request = HttpRequest.newBuilder(url().resolve("/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        var current = process;
        try (var http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            current.awaitReady("healthy", timeout, HEALTH_POLL, child -> {
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && response.body().contains("\"UP\"")
                        ? Optional.of(true)
                        : Optional.empty();
            });
        }
        return Duration.between(current.started(), Instant.now());
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true when the service stopped by itself. */
    synchronized boolean stop(Duration grace) {
        stopped = true;
        return process.stop(grace);
    }

    String tail() {
        return process.tail();
    }
}
