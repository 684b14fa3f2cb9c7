package io.decoupled.console.provision;

import io.decoupled.console.security.RandomTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Under docker compose, shipping-service's admin token for this start: {@code SHIPPING_ADMIN_TOKEN} when the operator
 * set one, else a random one, written to the file {@code PROVISION_ADMIN_TOKEN_FILE} names (a volume shipping-service
 * and the console mount and read as a Spring config tree). The compose file then holds no token at all, and a token
 * from one {@code up} is worthless after the next. Owner-only file, replaced atomically, so a reader never sees half.
 */
final class AdminTokenFile {
    static final String FILE_VARIABLE = "PROVISION_ADMIN_TOKEN_FILE";
    static final String TOKEN_VARIABLE = "SHIPPING_ADMIN_TOKEN";

    private AdminTokenFile() {}

    /** Writes the token where {@value #FILE_VARIABLE} says; nothing when it is not set (provisioning outside compose). */
    static Optional<Path> write(Map<String, String> environment) {
        var target = Optional.ofNullable(environment.get(FILE_VARIABLE))
                .filter(f -> !f.isBlank())
                .map(Path::of);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        var token = Optional.ofNullable(environment.get(TOKEN_VARIABLE))
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .orElseGet(RandomTokens::generate);
        var file = target.get().toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            var temporary = Files.createTempFile(
                    file.getParent(),
                    ".token",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, token);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the admin token to " + file, e);
        }
        return Optional.of(file);
    }
}
