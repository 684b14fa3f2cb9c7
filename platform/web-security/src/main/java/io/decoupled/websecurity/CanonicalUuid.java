package io.decoupled.websecurity;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids from a path or a query read strictly: a UUID in its canonical form only (36 characters, hex digits in groups
 * of 8-4-4-4-12). {@link UUID#fromString} also takes {@code 1-1-1-1-1} and reads it as
 * {@code 00000001-0001-0001-0001-000000000001}, so one order would have many names, and a cache, a log search or an
 * authorisation rule keyed on the text would see different orders.
 */
public final class CanonicalUuid {
    /** The canonical form as a regular expression, for a {@code @Pattern} on a field that carries an id. */
    public static final String REGEX = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private static final Pattern CANONICAL = Pattern.compile(REGEX);

    private CanonicalUuid() {}

    /** @throws IllegalArgumentException when the text is not a UUID in its canonical form */
    public static UUID parse(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            throw new IllegalArgumentException("not a UUID in its canonical form");
        }
        return UUID.fromString(text);
    }
}
