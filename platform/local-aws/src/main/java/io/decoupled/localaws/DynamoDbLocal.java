package io.decoupled.localaws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Starts DynamoDB Local (in memory) in a JVM of its own, with the classpath that the
 * {@code dynamodb-local-runtime} module resolved at DynamoDB Local's own dependency versions and the
 * sqlite4java native library beside it.
 */
final class DynamoDbLocal {
    private static final String CLASSPATH_RESOURCE = "/io/decoupled/localaws/dynamodb-local.classpath";
    private static final String SERVER_MAIN = "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";

    private DynamoDbLocal() {
    }

    static EmulatorProcess start(Duration timeout) {
        var entries = classpathEntries();
        var jars = new ArrayList<String>();
        jars.add(ownLocation());
        entries.stream().filter(e -> e.endsWith(".jar")).forEach(jars::add);
        var nativeDir = entries.stream().filter(e -> e.contains("linux-amd64") && e.endsWith(".so"))
                .map(e -> Path.of(e).getParent().toString()).findFirst()
                .orElseThrow(() -> new IllegalStateException("sqlite4java's linux-amd64 library is missing from " + CLASSPATH_RESOURCE));
        var missing = jars.stream().filter(j -> !Files.exists(Path.of(j))).toList();
        if (!missing.isEmpty()) {
            throw new MissingPrerequisiteException("DynamoDB Local's jars are not in the local Maven repository (" + missing.getFirst()
                    + "). Run `./mvnw -B install -DskipTests` once to resolve them.");
        }
        // A race between choosing the port and DynamoDB Local binding it is possible but rare; retry once.
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            var command = List.of(javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Djava.library.path=" + nativeDir, "-Dsqlite4java.library.path=" + nativeDir,
                    "-cp", String.join(":", jars), ExitWithParent.class.getName(), SERVER_MAIN,
                    "-inMemory", "-disableTelemetry", "-port", Integer.toString(port));
            try {
                return EmulatorProcess.startOnPort("dynamodb-local", command, Path.of(System.getProperty("java.io.tmpdir")), Map.of(), port, timeout);
            } catch (IllegalStateException e) {
                if (attempt >= 2) {
                    throw e;
                }
            }
        }
    }

    private static List<String> classpathEntries() {
        try (InputStream in = DynamoDbLocal.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + CLASSPATH_RESOURCE + ": the dynamodb-local-runtime module was not built");
            }
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split(":")).filter(s -> !s.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar or class directory holding {@link ExitWithParent}, which the child needs on its classpath. */
    private static String ownLocation() {
        try {
            return Path.of(ExitWithParent.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static int freePort() {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
