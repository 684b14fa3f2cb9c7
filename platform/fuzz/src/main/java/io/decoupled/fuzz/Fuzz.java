package io.decoupled.fuzz;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a property over generated values. The run's seed is printed first, and a failure names the try, the value
 * that failed and the seed: {@code -Dfuzz.seed=<seed>} draws the same values again (save those a generator takes
 * from outside the seeded source, see {@link Gen}). No shrinking: the generators keep failing values small enough to
 * read instead.
 */
public final class Fuzz {
    /** The system property that fixes the seed of every run, to replay a failure. */
    public static final String SEED_PROPERTY = "fuzz.seed";

    private static final int MAX_SHOWN = 600;

    /** A check of one generated value; it fails by throwing (an assertion, or anything else). */
    @FunctionalInterface
    public interface Property<T> {
        void check(T value) throws Exception;
    }

    private Fuzz() {}

    /** Checks {@code property} on {@code tries} values of {@code generator}; stops at the first failure. */
    public static <T> void check(String name, int tries, Gen<T> generator, Property<? super T> property) {
        var fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed == null || fixed.isBlank()
                ? ThreadLocalRandom.current().nextLong()
                : Long.parseLong(fixed.strip());
        check(name, tries, seed, generator, property);
    }

    /** As {@link #check(String, int, Gen, Property)}, from the given seed. */
    public static <T> void check(String name, int tries, long seed, Gen<T> generator, Property<? super T> property) {
        System.out.printf("fuzz: %s: %d tries, seed %d%n", name, tries, seed);
        var random = new SplittableRandom(seed);
        for (int attempt = 1; attempt <= tries; attempt++) {
            T value = generator.next(random);
            try {
                property.check(value);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(
                        "%s failed on try %d of %d (seed %d; -D%s=%d draws the same values again) with: %s"
                                .formatted(name, attempt, tries, seed, SEED_PROPERTY, seed, shown(value)),
                        e);
            }
        }
    }

    private static String shown(Object value) {
        var text = value instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(value);
        return text.length() <= MAX_SHOWN
                ? text
                : text.substring(0, MAX_SHOWN) + "… (" + text.length() + " characters)";
    }
}
