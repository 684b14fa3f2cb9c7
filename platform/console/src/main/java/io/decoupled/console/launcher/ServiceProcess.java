package io.decoupled.console.launcher;

import io.decoupled.childprocess.ChildProcess;
import io.decoupled.childprocess.Launch;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.function.IntSupplier;

/**
 * One service as a {@link ChildProcess}: its own port, its environment (the AWS endpoints and database it is to
 * use, nothing else), its output in a log file. What is particular to a service stays here: it is ready when
 * {@code /actuator/health} says UP, it stops as an orchestrator stops it (SIGTERM, which starts Spring's graceful
 * shutdown, then SIGKILL only after a bound), and the kill-a-worker fault replaces it on the same port, logging to
 * the same file.
 *
 * <p>Pattern: retry on a lost port race. The launcher offers a port that was free a moment ago; the child binds it
 * seconds later, when its context starts, and another process may have taken it in between (any program on the
 * laptop, an outgoing connection given that ephemeral port, or two of the launcher's own picks that happened to be
 * the same). The service then exits at startup ("Port ... was already in use") and the demo would come up without
 * it. {@link #awaitStarted} recognises that case (the child exited before it was healthy and its port is now held by
 * someone else) and starts it again on a new port, a bounded number of times. The alternative, {@code server.port=0}
 * with the service reporting the port it bound, would need a listener added to every service: Spring Boot 4 dropped
 * the {@code context.listener.classes} property that registered its {@code WebServerPortFileWriter} from outside.
 */
final class ServiceProcess {
    private static final Duration HEALTH_POLL = Duration.ofMillis(500);
    /** Ports tried before giving up: losing the race once is rare, three times in a row is not to be expected. */
    static final int PORT_ATTEMPTS = 3;

    private final IntSupplier ports;
    // A new port and launch only while starting, when the port offered was lost (awaitStarted); a replacement after a
    // kill keeps both.
    private volatile int port;
    private volatile Launch launch;
    // Replaced by killAndReplace (the kill-a-worker fault switch) and by a start on another port; everything else reads
    // the current one.
    private volatile ChildProcess process;
    private boolean stopped;

    private ServiceProcess(IntSupplier ports, int port, Launch launch, ChildProcess process) {
        this.ports = ports;
        this.port = port;
        this.launch = launch;
        this.process = process;
    }

    /**
     * Starts a service on the next port {@code ports} offers (free, as far as anyone can tell before the child binds
     * it); {@link #awaitStarted} asks for another when that one was lost. The child's stdin stays a pipe held by this
     * JVM and is never written: services ignore it, and it keeps the child from reading the terminal.
     */
    static ServiceProcess start(
            String name, List<String> command, Map<String, String> environment, IntSupplier ports, Path log) {
        int port = ports.getAsInt();
        var launch = onPort(Launch.of(name, command, log).withEnvironment(environment), port);
        return new ServiceProcess(ports, port, launch, ChildProcess.start(launch));
    }

    private static Launch onPort(Launch launch, int port) {
        return launch.withVariable("PORT", Integer.toString(port));
    }

    /**
     * The first start's wait: {@link #awaitHealthy}, and when the child exited because another process holds the port
     * it was given, a new start on the next port offered (its output appended to the same log), up to
     * {@link #PORT_ATTEMPTS} ports in all. Any other failure is reported as it is. Returns how long the last start took.
     */
    Duration awaitStarted(Duration timeout) {
        for (int attempt = 1; ; attempt++) {
            try {
                return awaitHealthy(timeout);
            } catch (IllegalStateException e) {
                if (attempt == PORT_ATTEMPTS || !lostItsPort()) {
                    throw e;
                }
                startOnAnotherPort();
            }
        }
    }

    /**
     * The child is gone and something else holds its port: it lost the race for the port, and a start on another one
     * will do. Asked of the port rather than of the log's words, so it does not depend on how a service says it; on
     * the loopback address, the one the launcher has the services bind ({@code SERVER_ADDRESS}).
     */
    private boolean lostItsPort() {
        if (process.isAlive()) {
            return false;
        }
        try (var probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (IOException taken) {
            return true;
        }
    }

    private synchronized void startOnAnotherPort() {
        if (stopped) {
            throw new IllegalStateException(name() + " is stopping with the system; not started again");
        }
        int lost = port;
        port = ports.getAsInt();
        launch = onPort(launch, port).appendingToLog();
        EmbeddedSystem.say("  " + name() + ": port " + lost + " was taken by another process before the service bound"
                + " it; starting it again on port " + port);
        process = ChildProcess.start(launch);
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
