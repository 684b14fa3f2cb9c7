package io.decoupled.console.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compose admin token: new on every start unless the operator chose one, readable by its owner only. */
class AdminTokenFileTest {
    @TempDir
    Path dir;

    @Test
    void everyStartWritesANewRandomTokenReadableOnlyByItsOwner() throws IOException {
        var file = dir.resolve("secrets/shipping.admin.token");
        var environment = Map.of(AdminTokenFile.FILE_VARIABLE, file.toString());

        assertThat(AdminTokenFile.write(environment)).contains(file.toAbsolutePath());
        var first = Files.readString(file);
        AdminTokenFile.write(environment);
        var second = Files.readString(file);

        assertThat(first).hasSize(48).matches("[0-9a-f]+").isNotEqualTo(second);
        assertThat(first).isNotEqualTo("local-admin-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void theOperatorsOwnTokenIsUsedWhenSet() throws IOException {
        var file = dir.resolve("shipping.admin.token");
        AdminTokenFile.write(Map.of(
                AdminTokenFile.FILE_VARIABLE,
                file.toString(),
                AdminTokenFile.TOKEN_VARIABLE,
                " chosen-by-the-operator-0123 "));
        assertThat(Files.readString(file)).isEqualTo("chosen-by-the-operator-0123");
    }

    @Test
    void anEmptyOperatorTokenMeansGenerateOne() throws IOException {
        var file = dir.resolve("shipping.admin.token");
        // compose passes ${SHIPPING_ADMIN_TOKEN:-}, an empty string when the shell has none
        AdminTokenFile.write(Map.of(AdminTokenFile.FILE_VARIABLE, file.toString(), AdminTokenFile.TOKEN_VARIABLE, ""));
        assertThat(Files.readString(file)).hasSize(48);
    }

    @Test
    void outsideComposeNothingIsWritten() {
        assertThat(AdminTokenFile.write(Map.of())).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }
}
