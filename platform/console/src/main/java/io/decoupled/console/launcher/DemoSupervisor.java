package io.decoupled.console.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside Maven ({@code ./mvnw -Pdemo -DskipTests verify}) and starts the embedded system in a JVM of its
 * own, in a session of its own ({@code setsid}), so that Ctrl-C reaches Maven only and not every emulator and
 * service at the same instant. On Ctrl-C this supervisor's shutdown hook sends SIGTERM to the system and waits
 * for its ordered stop to finish before Maven exits; if Maven is killed outright, the system sees its stdin
 * close and stops itself. Uses only the JDK: it runs on Maven's class path.
 *
 * <p>Not the {@code ChildProcess} wrapper the launcher's services use: its JVM-exit hook would give the system five
 * seconds and then SIGKILL it, in Maven's JVM, while the ordered stop needs up to two minutes; and the system's
 * output goes to the terminal, not to a log file.
 */
public final class DemoSupervisor {
    private static final long STOP_WAIT_SECONDS = 120;

    private DemoSupervisor() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            command.add("setsid");
        }
        command.add(EmbeddedSystem.javaExecutable());
        // Forward -Dconsole.* from the Maven command line, e.g. -Dconsole.load.orders-per-second=20.
        System.getProperties().stringPropertyNames().stream()
                .filter(n -> n.startsWith("console.") && !n.equals("console.classpath-file"))
                .sorted()
                .forEach(n -> command.add("-D" + n + "=" + System.getProperty(n)));
        command.add("-Dconsole.exit-with-parent=true");
        command.addAll(List.of("-cp", classpath(), "io.decoupled.console.modes.ConsoleModes", "embedded"));

        var process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "demo-supervisor-stop"));
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("the embedded system exited with code " + exit);
        }
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                System.out.println("The embedded system did not stop within " + STOP_WAIT_SECONDS + " s; killing it.");
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The console's classes and its runtime dependencies, as the demo profile wrote them down. */
    private static String classpath() throws IOException {
        String file = System.getProperty("console.classpath-file");
        String classes = System.getProperty("console.classes");
        if (file == null || classes == null) {
            throw new IllegalStateException("run through the demo profile: ./mvnw -B -Pdemo -DskipTests verify");
        }
        return classes + File.pathSeparator + Files.readString(Path.of(file)).strip();
    }
}
