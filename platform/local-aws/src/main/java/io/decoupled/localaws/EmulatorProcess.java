package io.decoupled.localaws;

import io.decoupled.childprocess.ChildProcess;
import io.decoupled.childprocess.Launch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One emulator as a {@link ChildProcess}, with what is particular to the emulators: ready once its launcher
 * announces the port it listens on, a fresh log file per start, and a restart on the same port. The child's stdin
 * is the pipe the wrapper holds open: the launchers exit when it closes, so no emulator outlives the JVM that
 * started it, even one killed by SIGKILL.
 */
final class EmulatorProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("LISTENING (\\d+)");
    private static final Duration POLL = Duration.ofMillis(50);

    private final ChildProcess process;
    private final int port;
    private final Duration timeout;

    private EmulatorProcess(ChildProcess process, int port, Duration timeout) {
        this.process = process;
        this.port = port;
        this.timeout = timeout;
    }

    /** Starts a process that announces its port with a {@code LISTENING <port>} line. */
    static EmulatorProcess startAnnouncing(
            String name, List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        var launch =
                Launch.of(name, command, newLogFile(name)).withEnvironment(env).inDirectory(workDir);
        return startAnnouncing(launch, timeout);
    }

    private static EmulatorProcess startAnnouncing(Launch launch, Duration timeout) {
        var process = ChildProcess.start(launch);
        try {
            int port = process.awaitReady("announcing its port", timeout, POLL, EmulatorProcess::announcedPort);
            return new EmulatorProcess(process, port, timeout);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    private static Optional<Integer> announcedPort(ChildProcess process) throws IOException {
        var m = LISTENING.matcher(Files.readString(process.logFile()));
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /**
     * A fresh log file for one start of an emulator: in the directory named by {@code localaws.log-directory} (the demo
     * sets its run's log directory), else in {@code target/local-aws-logs} of the module a build runs in, and only
     * outside any build in the system temp directory. Logs are kept: a failed test's emulator log is what explains it.
     */
    private static Path newLogFile(String name) {
        try {
            var configured = System.getProperty(LocalAws.LOG_DIRECTORY_PROPERTY);
            Path directory = configured != null && !configured.isBlank()
                    ? Path.of(configured)
                    : Files.isDirectory(Path.of("target")) ? Path.of("target", "local-aws-logs") : null;
            if (directory == null) {
                return Files.createTempFile("local-aws-" + name + "-", ".log");
            }
            Files.createDirectories(directory);
            return Files.createTempFile(directory, name + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a log file for " + name, e);
        }
    }

    /**
     * The same command started again on this process's port (the launcher reads {@code PORT}), logging to a fresh
     * file; this process must have ended. Data survives only where the launcher keeps it outside the process
     * (kinesalite's and dynalite's {@code DATA_PATH}).
     */
    EmulatorProcess restartOnSamePort() {
        String name = process.name();
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        var launch =
                process.launch().withVariable("PORT", Integer.toString(port)).withLogFile(newLogFile(name));
        var restarted = startAnnouncing(launch, timeout);
        if (restarted.port != port) {
            restarted.close();
            throw new IllegalStateException(name + " came back on port " + restarted.port + " instead of " + port);
        }
        return restarted;
    }

    /** SIGKILL, as a crash: no shutdown handler of the emulator runs. Returns once the process is gone. */
    void kill() {
        process.kill();
    }

    /** Sends one line to the launcher's stdin (the launchers that take commands document them). */
    void send(String line) {
        process.send(line);
    }

    /** Waits until the port accepts connections ({@code true}) or refuses them ({@code false}). */
    void awaitAccepting(boolean accepting, Duration timeout) {
        process.awaitReady(
                (accepting ? "accepting" : "refusing") + " connections on port " + port,
                timeout,
                POLL,
                p -> accepts(port) == accepting ? Optional.of(true) : Optional.empty());
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

    private static boolean accepts(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, then SIGKILL after five seconds; children of the process go with it. */
    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return process.name() + " on port " + port + " (log " + process.logFile() + ")";
    }
}
