package io.decoupled.childprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-running child process with its output in a log file: the single wrapper behind the emulators
 * (local-aws) and the demo's service JVMs (console), so that starting, waiting, stopping and killing are done
 * one way.
 *
 * <p>Pattern: supervised child process with a bounded graceful stop. It prevents the two leaks of a bare
 * {@link Process}: a child that ignores SIGTERM and keeps the build or the demo from ending ({@link #stop} escalates
 * to SIGKILL after a bound), and children that outlive the JVM that started them. Three layers see to the second:
 * {@link #stop} and {@link #kill} take the child's descendants with it; a shutdown hook stops every child still
 * running when this JVM exits; and the child's stdin is a pipe this JVM holds open and never closes, so a child
 * that watches its stdin (the emulator launchers do) exits even when this JVM dies by SIGKILL and no hook runs.
 *
 * <p>What "ready" means differs per child (a port announced in the log, an HTTP health endpoint) and so does what
 * a restart means (the same port, the same log): those stay with the caller, as a {@link Readiness} and a
 * {@link Launch} it starts again.
 */
public final class ChildProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Duration EXIT_GRACE = Duration.ofSeconds(5);
    private static final int TAIL_LINES = 30;

    /** Every child started and not yet stopped or killed: what the JVM-exit hook cleans up. */
    private static final Set<ChildProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::stopAllOnExit, "child-process-cleanup"));
    }

    private final Launch launch;
    private final Process process;
    private final Instant started;

    private ChildProcess(Launch launch, Process process, Instant started) {
        this.launch = launch;
        this.process = process;
        this.started = started;
    }

    /** Starts the child; does not wait for it to be ready (see {@link #awaitReady}). */
    public static ChildProcess start(Launch launch) {
        try {
            Path parent = launch.logFile().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            var logFile = launch.logFile().toFile();
            var builder = new ProcessBuilder(launch.command())
                    .redirectErrorStream(true)
                    .redirectOutput(launch.appendToLog() ? Redirect.appendTo(logFile) : Redirect.to(logFile));
            launch.workingDirectory().ifPresent(directory -> builder.directory(directory.toFile()));
            builder.environment().putAll(launch.environment());
            log.debug("starting {}: {}", launch.name(), launch.command());
            var child = new ChildProcess(launch, builder.start(), Instant.now());
            RUNNING.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not start " + launch.name() + " (" + launch.command().getFirst() + ")", e);
        }
    }

    /**
     * Polls {@code readiness} every {@code pollInterval} until it yields a value, and returns that value. Fails fast,
     * quoting the log's tail, when the child exits first, and likewise when {@code timeout} passes. {@code condition}
     * names what is awaited in those messages ("healthy", "accepting connections on port 4566").
     */
    public <T> T awaitReady(String condition, Duration timeout, Duration pollInterval, Readiness<T> readiness) {
        var deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                Optional<T> ready = readiness.check(this);
                if (ready.isPresent()) {
                    return ready.get();
                }
            } catch (IOException notYet) {
                // not answering yet: the next poll will tell
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name(), e);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " exited with code " + process.exitValue() + " before it was "
                        + condition + "; log " + logFile() + ":\n" + tail());
            }
            if (!Instant.now().isBefore(deadline)) {
                throw new IllegalStateException(name() + " was not " + condition + " within " + timeout + "; log "
                        + logFile() + ":\n" + tail());
            }
            pause(pollInterval);
        }
    }

    /** Waits for the child to end by itself: its exit code, or empty when it still runs after {@code timeout}. */
    public OptionalInt awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                RUNNING.remove(this);
                return OptionalInt.of(process.exitValue());
            }
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name() + " to exit", e);
        }
    }

    /**
     * The orderly stop: SIGTERM (a Spring service then drains; an emulator closes), up to {@code grace} to exit, then
     * SIGKILL. Descendants still alive afterwards are killed. Returns true when the child stopped by itself.
     */
    public boolean stop(Duration grace) {
        try {
            if (!process.isAlive()) {
                return true;
            }
            var descendants = process.descendants().toList();
            process.destroy();
            try {
                if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.debug("stopped {}", name());
                    return true;
                }
                log.debug("{} did not stop within {}; killing it", name(), grace);
                process.destroyForcibly().waitFor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                return false;
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                return false;
            } finally {
                descendants.forEach(ProcessHandle::destroyForcibly);
            }
        } finally {
            RUNNING.remove(this);
        }
    }

    /**
     * The crash, for fault injection: SIGKILL to the child and its descendants, so no shutdown handler runs and
     * nothing is finished, deleted or released (what an OOM kill or a lost host does). Returns once the child is gone.
     */
    public void kill() {
        var descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        name() + " (pid " + pid() + ") did not die within " + KILL_WAIT + " of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name(), e);
        }
        RUNNING.remove(this);
        log.info("killed {} (pid {}, log {})", name(), pid(), logFile());
    }

    /** Writes one line to the child's stdin, for children that take commands there (the emulator launchers). */
    public void send(String line) {
        try {
            var stdin = process.getOutputStream();
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not send '" + line + "' to " + name(), e);
        }
    }

    public Launch launch() {
        return launch;
    }

    public String name() {
        return launch.name();
    }

    public Path logFile() {
        return launch.logFile();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** When this child was started: a caller reports how long it took to become ready. */
    public Instant started() {
        return started;
    }

    /** The last lines of the log, for a failure message. */
    public String tail() {
        return tail(logFile());
    }

    /** The last lines of a log file, or a note that there is none. */
    public static String tail(Path logFile) {
        try {
            var lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** {@link #stop} with a short grace: for children that need no drain. */
    @Override
    public void close() {
        stop(CLOSE_GRACE);
    }

    @Override
    public String toString() {
        return name() + " (pid " + pid() + ", log " + logFile() + ")";
    }

    /**
     * The JVM-exit cleanup: SIGTERM to every child still running at once, one shared bound, then SIGKILL to whatever
     * is left and to every descendant. Callers that need an ordered stop (the demo's services before the emulators)
     * run it before the JVM exits; this only makes sure nothing is left behind.
     */
    private static void stopAllOnExit() {
        var children = List.copyOf(RUNNING);
        var descendants =
                children.stream().flatMap(child -> child.process.descendants()).toList();
        children.forEach(child -> child.process.destroy());
        var deadline = Instant.now().plus(EXIT_GRACE);
        for (var child : children) {
            try {
                long left =
                        Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
                if (!child.process.waitFor(left, TimeUnit.MILLISECONDS)) {
                    child.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static void pause(Duration interval) {
        try {
            TimeUnit.MILLISECONDS.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
