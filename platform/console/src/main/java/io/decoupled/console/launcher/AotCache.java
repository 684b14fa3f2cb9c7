package io.decoupled.console.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The JDK's ahead-of-time cache (JEP 483/514, Java 25) for the demo's service JVMs: classes loaded, linked and
 * verified once and mapped from a file at the next start, which on two cores shared by four JVMs is most of the
 * CPU a Spring Boot start costs.
 *
 * <p>The cache only covers classes loaded from plain jars on the class path, so each service runs from its
 * extracted form ({@code -Djarmode=tools extract}: the application jar and {@code lib/}), kept next to the fat jar
 * and redone when the fat jar is newer. The first run of a build trains: the JVM records what it loads
 * ({@code -XX:AOTCacheOutput}) and writes the cache when the service exits, so the demo's first start is not
 * delayed by a separate training run (Spring Boot's recipe, {@code spring.context.exit=onRefresh}, needs the
 * databases and emulators up, which only the demo itself provides); every later start uses it
 * ({@code -XX:AOTCache}). A cache the JVM cannot use (another JDK, a changed class path) is ignored by the JVM
 * with a warning in the service's log, and the cache file is named after the JDK version, so a new JDK trains
 * again. On a JDK before 25 the jar runs as it is.
 */
final class AotCache {
    static final int FIRST_JDK = 25;

    /** What one service start does with the cache. */
    enum Use {
        /** No cache: a JDK without {@code -XX:AOTCacheOutput}, or extraction failed. */
        NONE,
        /** This run records and writes the cache at exit. */
        TRAIN,
        /** This run maps the cache written by an earlier one. */
        USE
    }

    /** The JVM options and the jar to run. */
    record Launch(Use use, List<String> arguments) {}

    /** Turns a fat jar into its extracted form in a directory (Spring Boot's {@code -Djarmode=tools extract}). */
    interface Extractor {
        void extract(Path jar, Path destination) throws IOException, InterruptedException;
    }

    private final int jdkFeature;
    private final String jdkVersion;
    private final Extractor extractor;

    AotCache(int jdkFeature, String jdkVersion, Extractor extractor) {
        this.jdkFeature = jdkFeature;
        this.jdkVersion = jdkVersion;
        this.extractor = extractor;
    }

    /** For the JVM this launcher runs on, which is also the services' JVM ({@link EmbeddedSystem#javaExecutable()}). */
    static AotCache forThisJdk() {
        return new AotCache(
                Runtime.version().feature(),
                Runtime.version().toString(),
                (jar, destination) -> springBootExtract(EmbeddedSystem.javaExecutable(), jar, destination));
    }

    /**
     * {@code -jar <extracted jar>} with the cache option for this start, or {@code -jar <fat jar>} when there is no
     * cache to be had.
     */
    Launch launch(Path fatJar) {
        if (jdkFeature < FIRST_JDK) {
            return new Launch(Use.NONE, List.of("-jar", fatJar.toString()));
        }
        Path directory = fatJar.resolveSibling("aot")
                .resolve(stripJar(fatJar.getFileName().toString()));
        Path extracted = directory.resolve(fatJar.getFileName());
        try {
            if (!isFresh(extracted, fatJar)) {
                deleteTree(directory);
                extractor.extract(fatJar, directory);
                if (!Files.isRegularFile(extracted)) {
                    throw new IOException("extraction wrote no " + extracted);
                }
                // The extracted jar gets the fat jar's time, so "newer than the fat jar" means "from this build".
                Files.setLastModifiedTime(extracted, Files.getLastModifiedTime(fatJar));
            }
        } catch (IOException | UncheckedIOException e) {
            EmbeddedSystem.say("  " + fatJar.getFileName() + ": no AOT cache (" + e.getMessage() + ")");
            return new Launch(Use.NONE, List.of("-jar", fatJar.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Launch(Use.NONE, List.of("-jar", fatJar.toString()));
        }
        Path cache = directory.resolve("app-" + jdkVersion.replaceAll("[^0-9A-Za-z.+-]", "_") + ".aot");
        var arguments = new ArrayList<String>();
        Use use;
        if (Files.isRegularFile(cache) && isFresh(cache, extracted)) {
            use = Use.USE;
            arguments.add("-XX:AOTCache=" + cache);
        } else {
            use = Use.TRAIN;
            arguments.add("-XX:AOTCacheOutput=" + cache);
        }
        arguments.addAll(List.of("-jar", extracted.toString()));
        return new Launch(use, List.copyOf(arguments));
    }

    private static boolean isFresh(Path file, Path source) {
        try {
            if (!Files.isRegularFile(file)) {
                return false;
            }
            FileTime fileTime = Files.getLastModifiedTime(file);
            return fileTime.compareTo(Files.getLastModifiedTime(source)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String stripJar(String name) {
        return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void springBootExtract(String java, Path jar, Path destination)
            throws IOException, InterruptedException {
        var process = new ProcessBuilder(
                        java,
                        "-Djarmode=tools",
                        "-jar",
                        jar.toString(),
                        "extract",
                        "--destination",
                        destination.toString())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.DISCARD)
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("extracting " + jar.getFileName() + " took over 2 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException("extracting " + jar.getFileName() + " failed (exit " + process.exitValue() + ")");
        }
    }
}
