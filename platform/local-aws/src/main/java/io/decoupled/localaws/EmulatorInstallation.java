package io.decoupled.localaws;

import io.decoupled.childprocess.ChildProcess;
import io.decoupled.childprocess.Launch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the pinned npm emulators once per machine: the package.json and lock file shipped in this jar
 * are copied to a directory named after their hash and installed with {@code npm ci}. Several JVMs may
 * start at once (a parallel build), so the install runs under a file lock and is marked complete only
 * after npm succeeded.
 */
final class EmulatorInstallation {
    private static final Logger log = LoggerFactory.getLogger(EmulatorInstallation.class);
    private static final List<String> FILES =
            List.of("package.json", "package-lock.json", "sqs-sns.mjs", "kinesis.cjs", "dynamodb.cjs");
    private static final String RESOURCE_DIR = "/io/decoupled/localaws/emulators/";
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(10);

    private EmulatorInstallation() {}

    /** The directory holding the installed emulators and their launch scripts. */
    static Path ensureInstalled(String node) {
        Path dir = baseDirectory().resolve(contentHash());
        Path marker = dir.resolve(".installed");
        if (Files.exists(marker)) {
            return dir;
        }
        try {
            Files.createDirectories(dir);
            try (var channel = FileChannel.open(
                            dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    var ignored = channel.lock()) {
                if (Files.exists(marker)) {
                    return dir;
                }
                for (String file : FILES) {
                    try (InputStream in = resource(file)) {
                        Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                npmCi(node, dir);
                Files.writeString(marker, "ok\n");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not install the emulators into " + dir, e);
        }
    }

    private static void npmCi(String node, Path dir) {
        log.info("Installing the pinned AWS emulators (fauxqs, kinesalite, dynalite) into {} with npm ci", dir);
        Path logFile = dir.resolve("npm-install.log");
        var command = List.of(
                Prerequisites.npm(node), "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline");
        var npm = ChildProcess.start(Launch.of("npm ci", command, logFile).inDirectory(dir));
        OptionalInt exit;
        try {
            exit = npm.awaitExit(NPM_TIMEOUT);
        } finally {
            if (npm.isAlive()) {
                npm.kill();
            }
        }
        if (exit.isEmpty()) {
            throw new IllegalStateException("npm ci did not finish within 10 minutes; see " + logFile);
        }
        if (exit.getAsInt() != 0) {
            throw new MissingPrerequisiteException("Installing the AWS emulators with `npm ci` failed (exit "
                    + exit.getAsInt() + "). The npm registry must be reachable on the first run. Log: " + logFile
                    + "\n" + ChildProcess.tail(logFile));
        }
    }

    /** {@code LOCAL_AWS_HOME}, else a cache directory in the user's home. */
    private static Path baseDirectory() {
        var configured = System.getenv("LOCAL_AWS_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "decoupled-local-aws");
    }

    private static String contentHash() {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            for (String file : FILES) {
                try (InputStream in = resource(file)) {
                    digest.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream resource(String file) {
        var in = EmulatorInstallation.class.getResourceAsStream(RESOURCE_DIR + file);
        if (in == null) {
            throw new IllegalStateException("missing resource " + RESOURCE_DIR + file + " in the local-aws jar");
        }
        return in;
    }
}
