package io.decoupled.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The image recipe every service is deployed from: pinned, parameterized by module, not run as root. */
class DockerfileTest {

    private final String dockerfile =
            read(DeploymentSettings.findRepositoryRoot(Path.of("")).resolve("Dockerfile"));

    @Test
    void baseImagesArePinnedToExactVersions() {
        var images = Pattern.compile("ARG (BUILD|RUNTIME)_IMAGE=(\\S+)")
                .matcher(dockerfile)
                .results()
                .map(m -> m.group(2))
                .toList();
        assertThat(images)
                .hasSize(2)
                .allSatisfy(image ->
                        assertThat(image).matches(".+:\\d+\\.\\d+\\.\\d+[^ ]*").doesNotContain("latest"));
        // 24 or newer: a virtual thread blocked in a monitor no longer pins its carrier, and the SQS consumer's
        // pollers are virtual threads. 25 is the LTS the build's tests run on.
        assertThat(images.get(1)).contains(":25.");
    }

    @Test
    void theConsoleImageUsesTheSameBaseImagesAsTheServices() {
        var console = read(DeploymentSettings.findRepositoryRoot(Path.of("")).resolve("platform/console/Dockerfile"));
        var pins = Pattern.compile("ARG (BUILD|RUNTIME)_IMAGE=\\S+");
        assertThat(pins.matcher(console).results().map(m -> m.group()).toList())
                .isEqualTo(
                        pins.matcher(dockerfile).results().map(m -> m.group()).toList());
    }

    @Test
    void theModuleArgumentSelectsWhatIsBuiltAndTheContainerRunsUnprivileged() {
        assertThat(dockerfile).contains("ARG MODULE", "-pl \"${MODULE}\" -am", "USER 10001:10001", "EXPOSE 8080");
        assertThat(dockerfile).containsPattern("ENTRYPOINT \\[\"java\"");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
