package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The licence gate for npm: every package the build installs (the emulators, the browser test's driver, anything
 * a console page pins) must carry a licence from {@code licensing/allowed-licences.txt}, the list the Maven
 * licence gate uses. The lock files record each package's licence, so no registry is asked.
 */
class NpmLicencesTest {
    private static final Path ROOT = repositoryRoot();

    @Test
    void everyPinnedNpmPackageHasAnAllowedLicence() {
        var allowed = allowedLicences();
        var lockFiles = lockFiles();
        assertThat(lockFiles)
                .as("package-lock.json files in the repository")
                .anySatisfy(f -> assertThat(f.toString()).contains("localaws/emulators"));

        var violations = new TreeMap<String, String>();
        for (Path lockFile : lockFiles) {
            packages(lockFile).forEach((name, licence) -> {
                if (!isAllowed(licence, allowed)) {
                    violations.put(ROOT.relativize(lockFile) + ": " + name, licence);
                }
            });
        }
        assertThat(violations)
                .as("npm packages whose licence is not in licensing/allowed-licences.txt")
                .isEmpty();
    }

    @Test
    void theGateRejectsWhatIsNotOnTheList() {
        var allowed = allowedLicences();
        assertThat(isAllowed("MIT", allowed)).isTrue();
        assertThat(isAllowed("(MIT OR Apache-2.0)", allowed)).isTrue();
        assertThat(isAllowed("SEE LICENSE IN LICENSE.txt", allowed)).isFalse();
        assertThat(isAllowed("BUSL-1.1", allowed)).isFalse();
        assertThat(isAllowed("", allowed)).isFalse();
        assertThat(isAllowed("(MIT AND BUSL-1.1)", allowed)).isFalse();
    }

    /** An SPDX expression is allowed when every AND term, or at least one OR alternative, is on the list. */
    static boolean isAllowed(String expression, Set<String> allowed) {
        String e = expression.strip();
        if (e.startsWith("(") && e.endsWith(")")) {
            e = e.substring(1, e.length() - 1).strip();
        }
        if (e.isEmpty()) {
            return false;
        }
        if (e.contains(" OR ")) {
            return Stream.of(e.split(" OR ")).anyMatch(term -> isAllowed(term, allowed));
        }
        if (e.contains(" AND ")) {
            return Stream.of(e.split(" AND ")).allMatch(term -> isAllowed(term, allowed));
        }
        return allowed.contains(e);
    }

    private static Map<String, String> packages(Path lockFile) {
        var root = JsonNode.parser().parse(read(lockFile));
        var packages = new TreeMap<String, String>();
        root.field("packages")
                .map(JsonNode::asObject)
                .orElseThrow(() -> new IllegalStateException(lockFile + " has no packages"))
                .forEach((path, node) -> {
                    if (!path.isEmpty()) {
                        var licence = node.field("license")
                                .filter(JsonNode::isString)
                                .map(JsonNode::asString)
                                .orElse("");
                        packages.put(
                                path.replaceFirst("^.*node_modules/", "") + "@"
                                        + node.field("version")
                                                .map(JsonNode::asString)
                                                .orElse("?"),
                                licence);
                    }
                });
        assertThat(packages).as("packages in " + lockFile).isNotEmpty();
        return packages;
    }

    private static List<Path> lockFiles() {
        try (var files = Files.walk(ROOT)) {
            return files.filter(p -> p.getFileName().toString().equals("package-lock.json"))
                    .filter(p -> Stream.of("node_modules", "target", ".git")
                            .noneMatch(part -> p.toString().contains("/" + part + "/")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> allowedLicences() {
        return read(ROOT.resolve("licensing/allowed-licences.txt"))
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toUnmodifiableSet());
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("licensing"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "no licensing/ directory above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
