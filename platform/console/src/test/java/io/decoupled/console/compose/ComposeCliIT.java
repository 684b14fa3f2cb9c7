package io.decoupled.console.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docker-compose.yml as a real Compose implementation reads it, for the default (plain {@code docker compose up},
 * the emulator from .env) and for each emulator: valid, and exactly one emulator selected. Skipped, with a
 * message, where no docker CLI with the Compose plugin answers (as where this repository is built).
 */
class ComposeCliIT {
    private static final Path ROOT = Path.of(System.getProperty("console.repository-root", "../.."))
            .toAbsolutePath()
            .normalize();
    private static final DockerCompose docker = new DockerCompose(ROOT);

    @BeforeAll
    static void needsComposeCli() {
        assumeTrue(
                docker.cliAnswers(),
                "no `docker compose` CLI here; docker-compose.yml is checked statically by ComposeFileTest only");
    }

    @ParameterizedTest(name = "COMPOSE_PROFILES={0}")
    @ValueSource(strings = {"", "localstack", "floci"})
    void theFileIsValidAndSelectsExactlyOneEmulator(String profile) {
        // An empty value leaves the committed .env in charge, as a plain `docker compose up` does.
        var environment = profile.isEmpty() ? Map.<String, String>of() : Map.of("COMPOSE_PROFILES", profile);
        var config = docker.compose(environment, Duration.ofMinutes(1), "config", "--quiet");
        assertThat(config.ok())
                .as("docker compose config:\n%s", config.output())
                .isTrue();

        var services = docker.compose(environment, Duration.ofMinutes(1), "config", "--services");
        assertThat(services.ok()).as(services.output()).isTrue();
        var names = services.output().lines().map(String::strip).toList();
        String expected = profile.isEmpty() ? "localstack" : profile;
        assertThat(names)
                .contains(
                        expected,
                        "postgres",
                        "provision",
                        "order-service",
                        "shipping-service",
                        "click-ingest-service",
                        "analytics-service",
                        "console");
        assertThat(names).doesNotContain(expected.equals("localstack") ? "floci" : "localstack");
    }
}
