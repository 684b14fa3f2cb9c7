package io.decoupled.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GenTest {
    private static <T> List<T> draw(Gen<T> generator, int count) {
        var random = new SplittableRandom(42);
        var values = new ArrayList<T>(count);
        for (int i = 0; i < count; i++) {
            values.add(generator.next(random));
        }
        return values;
    }

    @Test
    void integersStayInTheirBoundsAndReachThemAndZero() {
        var values = draw(Gen.ints(-3, 1000), 2000);
        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(-3, 1000));
        assertThat(values).contains(-3, -2, 0, 999, 1000);
    }

    @Test
    void longsCoverTheWholeRangeAndItsExtremes() {
        var values = draw(Gen.longs(), 2000);
        assertThat(values).contains(Long.MIN_VALUE, Long.MAX_VALUE, 0L);
        assertThat(values.stream().filter(v -> v < 0)).isNotEmpty();
        assertThat(values.stream().filter(v -> v > 0)).isNotEmpty();
        var upper = draw(Gen.longs(5, Long.MAX_VALUE), 2000);
        assertThat(upper)
                .allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(5))
                .contains(5L, Long.MAX_VALUE);
    }

    @Test
    void aSingleValueRangeIsThatValue() {
        assertThat(draw(Gen.ints(7, 7), 50)).containsOnly(7);
        assertThatThrownBy(() -> Gen.longs(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decimalsHaveTheirScaleAndStayInBounds() {
        var min = new BigDecimal("0.01");
        var max = new BigDecimal("9999999999.99");
        var values = draw(Gen.decimals(min, max, 2), 2000);
        assertThat(values).allSatisfy(v -> {
            assertThat(v.scale()).isEqualTo(2);
            assertThat(v).isBetween(min, max);
        });
        assertThat(values).contains(min, max);
        // Small and large magnitudes alike, not only numbers near the top of the range.
        assertThat(values.stream().filter(v -> v.compareTo(BigDecimal.TEN) < 0)).hasSizeGreaterThan(50);
    }

    @Test
    void bigIntegersReachBothBoundsOfAHugeRange() {
        var bound = BigInteger.TEN.pow(400);
        var values = draw(Gen.bigIntegers(bound.negate(), bound), 1000);
        assertThat(values).allSatisfy(v -> assertThat(v.abs()).isLessThanOrEqualTo(bound));
        assertThat(values).contains(bound, bound.negate());
        assertThat(values.stream().map(v -> v.toString().length()).distinct().count())
                .isGreaterThan(100);
    }

    @Test
    void doublesIncludeTheValuesJsonCannotCarry() {
        var values = draw(Gen.doubles(), 3000);
        assertThat(values).contains(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0);
        assertThat(values.stream().filter(v -> Math.abs(v) > 1e300)).isNotEmpty();
        assertThat(values.stream().filter(v -> v != 0 && Math.abs(v) < 1e-300)).isNotEmpty();
        assertThat(draw(Gen.doubles(0, 1e30), 500))
                .allSatisfy(v -> assertThat(v).isBetween(0.0, 1e30));
    }

    @Test
    void allCharactersMakeControlsAndLoneSurrogatesCommon() {
        var strings = draw(Gen.chars().all().strings(1, 20), 500);
        var text = String.join("", strings);
        long controls = text.chars().filter(c -> c < 0x20).count();
        long surrogates =
                text.chars().filter(c -> Character.isSurrogate((char) c)).count();
        assertThat(controls).isGreaterThan(text.length() / 20);
        assertThat(surrogates).isGreaterThan(text.length() / 20);
        assertThat(text).contains("\uffff");
    }

    @Test
    void stringsKeepToTheirCharactersAndLengths() {
        var values = draw(Gen.chars().range('a', 'z').numeric().with("._:-").strings(0, 40), 1000);
        assertThat(values).allSatisfy(s -> assertThat(s).hasSizeBetween(0, 40).matches("[a-z0-9._:-]*"));
        assertThat(values).contains("");
        assertThat(values.stream().map(String::length)).contains(40);
        // The four separators are one group of three: they show up in about a third of the characters.
        var text = String.join("", values);
        assertThat(text.chars().filter(c -> "._:-".indexOf(c) >= 0).count()).isGreaterThan(text.length() / 5);
    }

    @Test
    void frequencyFollowsTheWeights() {
        var values = draw(Gen.frequency(Gen.weight(9, Gen.just("common")), Gen.weight(1, Gen.just("rare"))), 5000);
        long rare = values.stream().filter("rare"::equals).count();
        assertThat(rare).isBetween(350L, 650L);
        assertThat(draw(Gen.oneOf(Gen.just(1), Gen.just(2), Gen.just(3)), 300)).contains(1, 2, 3);
    }

    @Test
    void listsMapsAndNullsHaveTheirSizes() {
        var lists = draw(Gen.ints(0, 9).list(1, 5), 500);
        assertThat(lists).allSatisfy(l -> assertThat(l).hasSizeBetween(1, 5));
        assertThat(lists.stream().map(List::size)).contains(1, 5);
        var maps = draw(Gen.maps(Gen.of("a", "b", "c", "d"), Gen.ints(), 0, 3), 500);
        assertThat(maps).allSatisfy(m -> assertThat(m).hasSizeBetween(0, 3));
        var maybe = draw(Gen.just("x").orNull(0.3), 2000);
        assertThat(maybe.stream().filter(v -> v == null).count()).isBetween(450L, 750L);
        assertThat(draw(Gen.bytes(0, 200), 300))
                .allSatisfy(b -> assertThat(b.length).isBetween(0, 200));
    }

    @Test
    void combinatorsCompose() {
        Gen<String> pair = r -> Gen.ints(1, 3).next(r) + "/" + Gen.of("a", "b").next(r);
        assertThat(draw(pair, 200)).allSatisfy(s -> assertThat(s).matches("[123]/[ab]"));
        var depth = Gen.ints(1, 4).flatMap(n -> Gen.just("[".repeat(n)));
        assertThat(draw(depth, 200)).allSatisfy(s -> assertThat(s).matches("\\[{1,4}"));
        assertThat(draw(Gen.ints(0, 100).filter(v -> v % 2 == 0), 200))
                .allSatisfy(v -> assertThat(v % 2).isZero());
        assertThatThrownBy(() -> draw(Gen.ints(1, 3).filter(v -> v > 3), 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSameSeedDrawsTheSameValues() {
        Gen<String> generator = Gen.chars().all().strings(0, 30);
        Function<Long, List<String>> run = seed -> {
            var random = new SplittableRandom(seed);
            var values = new ArrayList<String>();
            for (int i = 0; i < 100; i++) {
                values.add(generator.next(random));
            }
            return values;
        };
        assertThat(run.apply(7L)).isEqualTo(run.apply(7L)).isNotEqualTo(run.apply(8L));
        assertThat(new HashSet<>(run.apply(7L))).hasSizeGreaterThan(50);
    }
}
