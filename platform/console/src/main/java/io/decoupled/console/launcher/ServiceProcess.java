package io.decoupled.console.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service as a child process: its own port, its environment (the AWS endpoints and database it is to
 * use, nothing else), its output in a log file. Stopping is what an orchestrator does: SIGTERM, which starts
 * Spring's graceful shutdown (stop polling, finish in-flight work, flush), then SIGKILL only after a bound.
 */
final class ServiceProcess {
    private static final Duration HEALTH_POLL = Duration.ofMillis(500);

    private final String name;
    private final int port;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    // Replaced by killAndReplace (the kill-a-worker fault switch); everything else reads the current one.
    private volatile Process process;
    private volatile Instant started = Instant.now();
    private boolean stopped;

    private ServiceProcess(
            String name, int port, List<String> command, Map<String, String> environment, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a service. The child's stdin stays a pipe held by this JVM and is never written: services
     * ignore it, and it keeps the child from reading the terminal.
     */
    static ServiceProcess start(
            String name, List<String> command, Map<String, String> environment, int port, Path log) {
        return new ServiceProcess(
                name,
                port,
                command,
                environment,
                launch(name, command, environment, port, Redirect.to(log.toFile())),
                log);
    }

    private static Process launch(
            String name, List<String> command, Map<String, String> environment, int port, Redirect output) {
        try {
            Files.createDirectories(output.file().toPath().getParent());
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
            builder.environment().putAll(environment);
            builder.environment().put("PORT", Integer.toString(port));
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + command.getFirst() + ")", e);
        }
    }

    /**
     * The kill-a-worker fault: SIGKILL, so the process gets no chance to finish, delete or release anything (what an
     * OOM kill or a lost host does), then a replacement with the same command, environment and port, its output
     * appended to the same log. Returns the pid that was killed. The replacement is not awaited: see {@link #awaitHealthy}.
     */
    synchronized long killAndReplace() {
        if (stopped) {
            throw new IllegalStateException(name + " is stopping with the system; nothing to replace");
        }
        var victim = process;
        long pid = victim.pid();
        var descendants = victim.descendants().toList();
        victim.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            if (!victim.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid + ") did not die within 10 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
        started = Instant.now();
        process = launch(name, command, environment, port, Redirect.appendTo(log.toFile()));
        return pid;
    }

    String name() {
        return name;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until {@code /actuator/health} says UP. Fails fast, with the log's tail, when the process exits
     * first; returns how long it took.
     */
    Duration awaitHealthy(Duration timeout) {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        var request = HttpRequest.newBuilder(url().resolve("/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        var deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " while starting; log " + log + ":\n" + tail());
            }
            try {
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return Duration.between(started, Instant.now());
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            pause();
        }
        throw new IllegalStateException(name + " was not healthy within " + timeout + "; log " + log + ":\n" + tail());
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true when the service stopped by itself. */
    synchronized boolean stop(Duration grace) {
        stopped = true;
        var process = this.process;
        if (!process.isAlive()) {
            return true;
        }
        var descendants = process.descendants().toList();
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return false;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        } finally {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }

    String tail() {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(HEALTH_POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
