package io.decoupled.console.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the demo extracts a service's jar, when a start records the AOT cache and when it uses it. */
class AotCacheTest {
    @TempDir
    Path target;

    private final List<Path> extractions = new ArrayList<>();

    @Test
    void beforeJava25TheFatJarRunsAsItIs() throws IOException {
        Path jar = fatJar(Instant.parse("2026-11-27T10:00:00Z"));

        var launch = new AotCache(21, "21.0.5", this::fakeExtract).launch(jar);

        assertThat(launch.use()).isEqualTo(AotCache.Use.NONE);
        assertThat(launch.arguments()).containsExactly("-jar", jar.toString());
        assertThat(extractions).isEmpty();
    }

    @Test
    void theFirstStartOfABuildExtractsTheJarAndRecordsTheCacheTheNextUsesIt() throws IOException {
        Path jar = fatJar(Instant.parse("2026-11-27T10:00:00Z"));
        var aot = new AotCache(25, "25.0.1+8-LTS", this::fakeExtract);
        Path extracted = target.resolve("aot/order-service-1.0/order-service-1.0.jar");
        Path cache = target.resolve("aot/order-service-1.0/app-25.0.1+8-LTS.aot");

        var first = aot.launch(jar);
        assertThat(first.use()).isEqualTo(AotCache.Use.TRAIN);
        assertThat(first.arguments()).containsExactly("-XX:AOTCacheOutput=" + cache, "-jar", extracted.toString());
        assertThat(extractions).containsExactly(target.resolve("aot/order-service-1.0"));

        // The service ran and wrote its cache at exit.
        Files.writeString(cache, "cache");
        var second = aot.launch(jar);
        assertThat(second.use()).isEqualTo(AotCache.Use.USE);
        assertThat(second.arguments()).containsExactly("-XX:AOTCache=" + cache, "-jar", extracted.toString());
        assertThat(extractions).as("extracted once per build").hasSize(1);
    }

    @Test
    void aNewBuildIsExtractedAgainAndItsOldCacheIsNotUsed() throws IOException {
        Path jar = fatJar(Instant.parse("2026-11-27T10:00:00Z"));
        var aot = new AotCache(25, "25.0.1", this::fakeExtract);
        aot.launch(jar);
        Files.writeString(target.resolve("aot/order-service-1.0/app-25.0.1.aot"), "cache of the old build");

        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-11-27T11:00:00Z")));
        var launch = aot.launch(jar);

        assertThat(launch.use()).isEqualTo(AotCache.Use.TRAIN);
        assertThat(extractions).hasSize(2);
        assertThat(target.resolve("aot/order-service-1.0/app-25.0.1.aot")).doesNotExist();
    }

    @Test
    void anotherJdkRecordsACacheOfItsOwn() throws IOException {
        Path jar = fatJar(Instant.parse("2026-11-27T10:00:00Z"));
        new AotCache(25, "25.0.1", this::fakeExtract).launch(jar);
        Files.writeString(target.resolve("aot/order-service-1.0/app-25.0.1.aot"), "cache");

        var launch = new AotCache(26, "26", this::fakeExtract).launch(jar);

        assertThat(launch.use()).isEqualTo(AotCache.Use.TRAIN);
        assertThat(launch.arguments().getFirst()).endsWith("app-26.aot");
    }

    @Test
    void whenExtractionFailsTheFatJarRunsWithoutACache() throws IOException {
        Path jar = fatJar(Instant.parse("2026-11-27T10:00:00Z"));
        var aot = new AotCache(25, "25.0.1", (fat, destination) -> {
            throw new IOException("disk full");
        });

        var launch = aot.launch(jar);

        assertThat(launch.use()).isEqualTo(AotCache.Use.NONE);
        assertThat(launch.arguments()).containsExactly("-jar", jar.toString());
    }

    private Path fatJar(Instant built) throws IOException {
        Path jar = target.resolve("order-service-1.0.jar");
        Files.writeString(jar, "fat jar");
        Files.setLastModifiedTime(jar, FileTime.from(built));
        return jar;
    }

    /** What Spring Boot's extract writes that matters here: the application jar, named as the fat jar, and lib/. */
    private void fakeExtract(Path jar, Path destination) throws IOException {
        extractions.add(destination);
        Files.createDirectories(destination.resolve("lib"));
        Files.writeString(destination.resolve(jar.getFileName()), "application classes");
    }
}
