package io.decoupled.fuzz;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A generator of test input: one value per call, drawn from the given source of randomness, so that a run started
 * from the same seed draws the same values ({@link Fuzz}). Values that come from outside that source (a
 * {@link #from(Supplier) supplier} of fresh UUIDs, the state of the system under test) are not reproduced.
 *
 * <p>Being a functional interface, generators combine with a lambda: {@code r -> new Line(sku.next(r),
 * quantity.next(r))}. Numbers and strings favour their edge cases (the bounds, zero, the empty and the longest string)
 * about one draw in eight, because that is where input handling breaks.
 */
@FunctionalInterface
public interface Gen<T> {
    /** One draw in this many picks an edge case instead of a uniform value. */
    int EDGE_CASE_ONE_IN = 8;

    T next(RandomGenerator random);

    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        return random -> mapper.apply(next(random));
    }

    default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> mapper) {
        return random -> mapper.apply(next(random)).next(random);
    }

    /** Draws again while {@code keep} refuses; a filter that refuses almost everything is a mistake, and fails loudly. */
    default Gen<T> filter(Predicate<? super T> keep) {
        return random -> {
            for (int attempt = 0; attempt < 10_000; attempt++) {
                var value = next(random);
                if (keep.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("the filter refused 10,000 draws in a row");
        };
    }

    /** Null with the given probability, else a value of this generator. */
    default Gen<T> orNull(double probability) {
        return random -> random.nextDouble() < probability ? null : next(random);
    }

    /** Lists of {@code min} to {@code max} values (the bounds favoured), each drawn on its own. */
    default Gen<List<T>> list(int min, int max) {
        var sizes = ints(min, max);
        return random -> {
            int size = sizes.next(random);
            var values = new ArrayList<T>(size);
            for (int i = 0; i < size; i++) {
                values.add(next(random));
            }
            return values;
        };
    }

    static <T> Gen<T> just(T value) {
        return random -> value;
    }

    /** A fresh value from outside the seeded source each time, such as a random UUID. */
    static <T> Gen<T> from(Supplier<T> supplier) {
        return random -> supplier.get();
    }

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(Arrays.asList(values));
    }

    static <T> Gen<T> of(List<T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("nothing to choose from");
        }
        var copy = new ArrayList<>(values);
        return random -> copy.get(random.nextInt(copy.size()));
    }

    /** One of the generators, each equally likely. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... generators) {
        var choices = List.of(generators);
        return random -> choices.get(random.nextInt(choices.size())).next(random);
    }

    /** A generator with its weight, for {@link #frequency}. */
    record Weighted<T>(int weight, Gen<? extends T> generator) {
        public Weighted {
            if (weight <= 0) {
                throw new IllegalArgumentException("weight " + weight);
            }
        }
    }

    static <T> Weighted<T> weight(int weight, Gen<? extends T> generator) {
        return new Weighted<>(weight, generator);
    }

    /** One of the generators, chosen in proportion to its weight. */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        var list = List.of(choices);
        int total = list.stream().mapToInt(Weighted::weight).sum();
        return random -> {
            int pick = random.nextInt(total);
            for (var choice : list) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.generator().next(random);
                }
            }
            throw new AssertionError("unreachable");
        };
    }

    static Gen<Boolean> booleans() {
        return RandomGenerator::nextBoolean;
    }

    /** Integers in {@code [min, max]}; edge cases: the bounds, their neighbours and zero. */
    static Gen<Integer> ints(int min, int max) {
        return longs(min, max).map(Long::intValue);
    }

    /** Any int. */
    static Gen<Integer> ints() {
        return ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Longs in {@code [min, max]}; edge cases: the bounds, their neighbours and zero. */
    static Gen<Long> longs(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException(min + " > " + max);
        }
        var edges = new ArrayList<Long>(List.of(min, max));
        if (min < max) {
            edges.add(min + 1);
            edges.add(max - 1);
        }
        if (min < 0 && max > 0) {
            edges.add(0L);
        }
        return random -> {
            if (random.nextInt(EDGE_CASE_ONE_IN) == 0) {
                return edges.get(random.nextInt(edges.size()));
            }
            // nextLong(origin, bound) excludes the bound; max + 1 would overflow at Long.MAX_VALUE.
            return max == Long.MAX_VALUE
                    ? (min == Long.MIN_VALUE ? random.nextLong() : random.nextLong(min - 1, max) + 1)
                    : random.nextLong(min, max + 1);
        };
    }

    /** Any long. */
    static Gen<Long> longs() {
        return longs(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * Any double: NaN, the infinities, both zeros, the extremes, values from any bit pattern (every exponent), and
     * ordinary ones.
     */
    static Gen<Double> doubles() {
        var edges = List.of(
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                0.0,
                -0.0,
                Double.MIN_VALUE,
                -Double.MIN_VALUE,
                Double.MIN_NORMAL,
                Double.MAX_VALUE,
                -Double.MAX_VALUE);
        return random -> switch (random.nextInt(3)) {
            case 0 -> edges.get(random.nextInt(edges.size()));
            case 1 -> Double.longBitsToDouble(random.nextLong());
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-10, 11));
        };
    }

    /** Doubles in {@code [min, max]}, the bounds favoured. */
    static Gen<Double> doubles(double min, double max) {
        return random -> random.nextInt(EDGE_CASE_ONE_IN) == 0
                ? (random.nextBoolean() ? min : max)
                : min + (max - min) * random.nextDouble();
    }

    /**
     * Big integers in {@code [min, max]}: magnitudes of every length alike (a random bit length first, so that small
     * numbers are as likely as the huge ones), the bounds favoured.
     */
    static Gen<BigInteger> bigIntegers(BigInteger min, BigInteger max) {
        var span = max.subtract(min);
        if (span.signum() < 0) {
            throw new IllegalArgumentException(min + " > " + max);
        }
        int longest = Math.max(min.abs().bitLength(), max.abs().bitLength());
        return random -> {
            if (random.nextInt(EDGE_CASE_ONE_IN) == 0) {
                return random.nextBoolean() ? min : max;
            }
            var bits = new Random(random.nextLong());
            var candidate = new BigInteger(random.nextInt(longest + 1), bits);
            if (random.nextBoolean()) {
                candidate = candidate.negate();
            }
            if (candidate.compareTo(min) >= 0 && candidate.compareTo(max) <= 0) {
                return candidate;
            }
            // Outside the range (a range far from zero): uniform over it instead.
            BigInteger offset;
            do {
                offset = new BigInteger(span.bitLength(), bits);
            } while (offset.compareTo(span) > 0);
            return min.add(offset);
        };
    }

    /** Decimals with exactly {@code scale} fraction digits, in {@code [min, max]}. */
    static Gen<BigDecimal> decimals(BigDecimal min, BigDecimal max, int scale) {
        return bigIntegers(
                        min.movePointRight(scale).toBigInteger(),
                        max.movePointRight(scale).toBigInteger())
                .map(unscaled -> new BigDecimal(unscaled, scale));
    }

    /** Byte arrays of {@code min} to {@code max} bytes, each byte any value. */
    static Gen<byte[]> bytes(int min, int max) {
        var sizes = ints(min, max);
        return random -> {
            var bytes = new byte[sizes.next(random)];
            random.nextBytes(bytes);
            return bytes;
        };
    }

    /** Maps of {@code min} to {@code max} entries (fewer when the keys drawn repeat), in the order drawn. */
    static <K, V> Gen<Map<K, V>> maps(Gen<K> keys, Gen<V> values, int min, int max) {
        var sizes = ints(min, max);
        return random -> {
            int size = sizes.next(random);
            var map = new LinkedHashMap<K, V>();
            for (int i = 0; i < size; i++) {
                map.put(keys.next(random), values.next(random));
            }
            return map;
        };
    }

    /** Strings made of the characters a {@link Chars} set allows; see {@link Chars#strings(int, int)}. */
    static Chars chars() {
        return new Chars();
    }
}
