package io.decoupled.console.compose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the {@code docker} CLI for the compose tests: the exit code and the output, within a time limit. */
final class DockerCompose {
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path projectDirectory;

    DockerCompose(Path projectDirectory) {
        this.projectDirectory = projectDirectory;
    }

    /** {@code docker compose version}: answers only where the CLI has the Compose plugin. */
    boolean cliAnswers() {
        return run(Map.of(), Duration.ofSeconds(30), "docker", "compose", "version")
                .ok();
    }

    /** {@code docker info}: answers only where a Docker engine runs. */
    boolean engineAnswers() {
        return run(Map.of(), Duration.ofSeconds(30), "docker", "info").ok();
    }

    Result compose(Map<String, String> environment, Duration timeout, String... arguments) {
        var command = new ArrayList<>(List.of("docker", "compose"));
        command.addAll(List.of(arguments));
        return run(environment, timeout, command.toArray(String[]::new));
    }

    private Result run(Map<String, String> environment, Duration timeout, String... command) {
        try {
            var builder = new ProcessBuilder(command)
                    .directory(projectDirectory.toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            var process = builder.start();
            process.getOutputStream().close();
            var output = new StringBuilder();
            var reader = Thread.ofVirtual().start(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.append(e);
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out after " + timeout);
            }
            reader.join(Duration.ofSeconds(5));
            return new Result(process.exitValue(), output.toString());
        } catch (IOException e) {
            return new Result(-1, "could not run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
