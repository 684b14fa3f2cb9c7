package io.decoupled.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulator running as a child process, with its output in a log file. The child's stdin is a pipe
 * that this JVM holds open: when the JVM dies, even by SIGKILL, the pipe closes and the child exits, so
 * no emulator outlives the build that started it.
 */
final class EmulatorProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmulatorProcess.class);
    private static final Pattern LISTENING = Pattern.compile("LISTENING (\\d+)");

    private final String name;
    private final Process process;
    private final Path logFile;
    private final int port;
    private final Launch launch;

    /** What started the process, kept so that it can be started again on the same port. */
    private record Launch(List<String> command, Path workDir, Map<String, String> env, Duration timeout) {}

    private EmulatorProcess(String name, Process process, Path logFile, int port, Launch launch) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.port = port;
        this.launch = launch;
    }

    /** Starts a process that announces its port with a {@code LISTENING <port>} line. */
    static EmulatorProcess startAnnouncing(
            String name, List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        var launch = new Launch(List.copyOf(command), workDir, Map.copyOf(env), timeout);
        var process = start(name, launch);
        var deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            var m = LISTENING.matcher(read(process.logFile));
            if (m.find()) {
                return new EmulatorProcess(
                        name, process.process, process.logFile, Integer.parseInt(m.group(1)), launch);
            }
            process.failIfExited();
            pause();
        }
        process.close();
        throw new IllegalStateException(name + " did not start within " + timeout + ". Log " + process.logFile + ":\n"
                + EmulatorInstallation.tail(process.logFile));
    }

    private static EmulatorProcess start(String name, Launch launch) {
        try {
            Path logFile = newLogFile(name);
            var builder = new ProcessBuilder(launch.command())
                    .directory(launch.workDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            builder.environment().putAll(launch.env());
            log.debug("starting {}: {}", name, launch.command());
            return new EmulatorProcess(name, builder.start(), logFile, -1, launch);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not start " + name + " (" + launch.command().getFirst() + ")", e);
        }
    }

    /**
     * A fresh log file for one start of an emulator: in the directory named by {@code localaws.log-directory} (the demo
     * sets its run's log directory), else in {@code target/local-aws-logs} of the module a build runs in, and only
     * outside any build in the system temp directory. Logs are kept: a failed test's emulator log is what explains it.
     */
    private static Path newLogFile(String name) throws IOException {
        var configured = System.getProperty(LocalAws.LOG_DIRECTORY_PROPERTY);
        Path directory = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Files.isDirectory(Path.of("target")) ? Path.of("target", "local-aws-logs") : null;
        if (directory == null) {
            return Files.createTempFile("local-aws-" + name + "-", ".log");
        }
        Files.createDirectories(directory);
        return Files.createTempFile(directory, name + "-", ".log");
    }

    /**
     * The same command started again on this process's port (the launcher reads {@code PORT}); this process must
     * have ended. Data survives only where the launcher keeps it outside the process (kinesalite's and dynalite's
     * {@code DATA_PATH}).
     */
    EmulatorProcess restartOnSamePort() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        var env = new HashMap<>(launch.env());
        env.put("PORT", Integer.toString(port));
        var restarted = startAnnouncing(name, launch.command(), launch.workDir(), env, launch.timeout());
        if (restarted.port != port) {
            restarted.close();
            throw new IllegalStateException(name + " came back on port " + restarted.port + " instead of " + port);
        }
        return restarted;
    }

    /** SIGKILL, as a crash: no shutdown handler of the emulator runs. Returns once the process is gone. */
    void kill() {
        var descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not die within 10 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
        log.info("killed {}", this);
    }

    /** Sends one line to the launcher's stdin (the launchers that take commands document them). */
    void send(String line) {
        try {
            var stdin = process.getOutputStream();
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not send '" + line + "' to " + name, e);
        }
    }

    /** Waits until the port accepts connections ({@code true}) or refuses them ({@code false}). */
    void awaitAccepting(boolean accepting, Duration timeout) {
        var deadline = Instant.now().plus(timeout);
        while (accepts(port) != accepting) {
            failIfExited();
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        name + " did not " + (accepting ? "open" : "close") + " port " + port + " within " + timeout);
            }
            pause();
        }
    }

    int port() {
        return port;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void failIfExited() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + " while starting. Log "
                    + logFile + ":\n" + EmulatorInstallation.tail(logFile));
        }
    }

    private static boolean accepts(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an emulator", e);
        }
    }

    /** SIGTERM, then SIGKILL after five seconds; children of the process go with it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        var descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        log.debug("stopped {}", name);
    }

    @Override
    public String toString() {
        return name + " on port " + port + " (log " + logFile + ")";
    }
}
