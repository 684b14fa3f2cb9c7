package io.decoupled.console.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
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
    private final Process process;
    private final Path log;
    private final Instant started = Instant.now();

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a service. The child's stdin stays a pipe held by this JVM and is never written: services
     * ignore it, and it keeps the child from reading the terminal.
     */
    static ServiceProcess start(String name, List<String> command, Map<String, String> environment, int port, Path log) {
        try {
            Files.createDirectories(log.getParent());
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            builder.environment().put("PORT", Integer.toString(port));
            return new ServiceProcess(name, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + command.getFirst() + ")", e);
        }
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
        var request = HttpRequest.newBuilder(url().resolve("/actuator/health")).timeout(Duration.ofSeconds(2)).GET().build();
        var deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " while starting; log "
                        + log + ":\n" + tail());
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
    boolean stop(Duration grace) {
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
