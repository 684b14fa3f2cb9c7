package io.decoupled.console.security;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Bearer tokens made for one run: 192 random bits as hex, never a constant anyone could read in the repository. */
public final class RandomTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomTokens() {}

    public static String generate() {
        var bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
