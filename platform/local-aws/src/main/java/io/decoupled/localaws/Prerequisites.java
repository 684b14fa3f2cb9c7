package io.decoupled.localaws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Checks for the tools the embedded environment needs, so that a missing one is one clear sentence. */
final class Prerequisites {
    static final int MIN_NODE = 20;
    static final int MIN_JAVA = 21;
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.");

    private Prerequisites() {}

    /** The node executable: {@code LOCAL_AWS_NODE} if set, else {@code node} on the PATH. */
    static String node() {
        return node(System.getenv("LOCAL_AWS_NODE"));
    }

    static String node(String configured) {
        String node = configured == null || configured.isBlank() ? "node" : configured;
        String version = versionOf(node)
                .orElseThrow(() -> new MissingPrerequisiteException("The embedded AWS emulators need Node.js "
                        + MIN_NODE + " or newer, but `" + node + "` was not found. "
                        + "Install Node.js " + MIN_NODE + "+ with npm (for example: apt-get install nodejs npm), "
                        + "or set LOCAL_AWS_NODE to a node executable. Where Docker is available, "
                        + "`docker compose up` runs the system without Node."));
        var m = NODE_VERSION.matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) < MIN_NODE) {
            throw new MissingPrerequisiteException(
                    "The embedded AWS emulators need Node.js " + MIN_NODE + " or newer, but `" + node + "` is "
                            + version.strip() + ". Install a newer Node.js or set LOCAL_AWS_NODE.");
        }
        return node;
    }

    /** npm, found beside the node executable first, then on the PATH. */
    static String npm(String node) {
        var sibling = Path.of(node).toAbsolutePath().resolveSibling("npm");
        if (node.contains("/") && Files.isExecutable(sibling)) {
            return sibling.toString();
        }
        if (versionOf("npm").isEmpty()) {
            throw new MissingPrerequisiteException(
                    "The embedded AWS emulators are installed with npm, but `npm` was not found. Install npm (apt-get install npm).");
        }
        return "npm";
    }

    static void java() {
        int feature = Runtime.version().feature();
        if (feature < MIN_JAVA) {
            throw new MissingPrerequisiteException("This system needs Java " + MIN_JAVA + " or newer, but runs on Java "
                    + feature + ". Set JAVA_HOME to a JDK " + MIN_JAVA + "+.");
        }
    }

    private static Optional<String> versionOf(String command) {
        try {
            var process = new ProcessBuilder(command, "--version")
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
