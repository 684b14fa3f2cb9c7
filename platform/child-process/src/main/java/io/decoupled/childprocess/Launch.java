package io.decoupled.childprocess;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What starts a {@link ChildProcess}: its name (for messages and logs), the command, the variables added to this
 * JVM's environment, the working directory (this JVM's when empty) and the file its stdout and stderr go to, replaced
 * or appended to. Kept by callers that start the same child again (a restart on the same port, a replacement after a
 * kill).
 */
public record Launch(
        String name,
        List<String> command,
        Map<String, String> environment,
        Optional<Path> workingDirectory,
        Path logFile,
        boolean appendToLog) {

    public Launch {
        Objects.requireNonNull(name, "name");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException(name + ": a command needs at least the program");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(logFile, "logFile");
    }

    /** A command with nothing added to the environment, run in this JVM's directory, writing a fresh log file. */
    public static Launch of(String name, List<String> command, Path logFile) {
        return new Launch(name, command, Map.of(), Optional.empty(), logFile, false);
    }

    /** These variables instead of the ones set so far. */
    public Launch withEnvironment(Map<String, String> variables) {
        return new Launch(name, command, variables, workingDirectory, logFile, appendToLog);
    }

    /** One variable added, or replaced. */
    public Launch withVariable(String key, String value) {
        var variables = new HashMap<>(environment);
        variables.put(key, value);
        return withEnvironment(variables);
    }

    public Launch inDirectory(Path directory) {
        return new Launch(name, command, environment, Optional.of(directory), logFile, appendToLog);
    }

    /** Output to this file, replacing what it held. */
    public Launch withLogFile(Path file) {
        return new Launch(name, command, environment, workingDirectory, file, false);
    }

    /** Output appended to the log file: a replacement's lines follow its predecessor's. */
    public Launch appendingToLog() {
        return new Launch(name, command, environment, workingDirectory, logFile, true);
    }
}
