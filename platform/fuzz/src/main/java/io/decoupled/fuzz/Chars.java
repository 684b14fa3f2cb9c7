package io.decoupled.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A set of characters to build strings from, as groups: a string's every character picks a group first, each group
 * equally likely, then a character of it. So a small group (the separators {@code "._:-"}, the C0 controls) shows up
 * as often as a large one (the letters), instead of once in thousands.
 */
public final class Chars {
    /** {@code [from, to]} inclusive, or an explicit list when {@code listed} is set. */
    private record Group(char from, char to, String listed) {
        char pick(RandomGenerator random) {
            return listed != null
                    ? listed.charAt(random.nextInt(listed.length()))
                    : (char) random.nextInt(from, to + 1);
        }
    }

    private final List<Group> groups = new ArrayList<>();

    Chars() {}

    public Chars range(char from, char to) {
        if (from > to) {
            throw new IllegalArgumentException(from + " > " + to);
        }
        groups.add(new Group(from, to, null));
        return this;
    }

    /** These characters, as one group. */
    public Chars with(String characters) {
        if (characters.isEmpty()) {
            throw new IllegalArgumentException("no characters");
        }
        groups.add(new Group('\0', '\0', characters));
        return this;
    }

    public Chars with(char... characters) {
        return with(new String(characters));
    }

    /** a-z and A-Z, as two groups. */
    public Chars alpha() {
        return range('a', 'z').range('A', 'Z');
    }

    public Chars numeric() {
        return range('0', '9');
    }

    /**
     * Any UTF-16 code unit, in groups that make the awkward ones common: the C0 controls, printable ASCII, DEL and the
     * C1 controls, the rest of the basic plane, lone surrogates, the private use area and specials, and the
     * non-characters and byte-order mark.
     */
    public Chars all() {
        return range('\u0000', '\u001f')
                .range('\u0020', '\u007e')
                .range('\u007f', '\u009f')
                .range('\u00a0', '\ud7ff')
                .range('\ud800', '\udfff')
                .range('\ue000', '\ufffd')
                .with('\ufeff', '\ufffe', '\uffff');
    }

    /** Strings of {@code min} to {@code max} characters (UTF-16 code units), the bounds favoured. */
    public Gen<String> strings(int min, int max) {
        if (groups.isEmpty()) {
            throw new IllegalStateException("no characters to build strings from");
        }
        var chosen = List.copyOf(groups);
        var lengths = Gen.ints(min, max);
        return random -> {
            int length = lengths.next(random);
            var text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(chosen.get(random.nextInt(chosen.size())).pick(random));
            }
            return text.toString();
        };
    }
}
