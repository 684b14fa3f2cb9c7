package io.decoupled.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FuzzTest {
    @Test
    void aPassingPropertyRunsEveryTry() {
        var tries = new AtomicInteger();
        Fuzz.check("counting", 250, 1L, Gen.ints(0, 10), v -> tries.incrementAndGet());
        assertThat(tries).hasValue(250);
    }

    @Test
    void aFailureNamesTheTryTheValueAndTheSeedThatReplaysIt() {
        var seen = new ArrayList<Integer>();
        assertThatThrownBy(() -> Fuzz.check("evens", 1000, 99L, Gen.ints(0, 1_000_000), v -> {
                    seen.add(v);
                    assertThat(v % 2).as("even").isZero();
                }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("evens failed on try " + seen.size() + " of 1000")
                .hasMessageContaining("seed 99")
                .hasMessageContaining("-Dfuzz.seed=99")
                .hasMessageEndingWith("with: " + seen.getLast())
                .cause()
                .hasMessageContaining("even");
        // Replaying the seed draws the same values up to the failure.
        var replay = new ArrayList<Integer>();
        assertThatThrownBy(() -> Fuzz.check("evens", 1000, 99L, Gen.ints(0, 1_000_000), v -> {
                    replay.add(v);
                    assertThat(v % 2).isZero();
                }))
                .isInstanceOf(AssertionError.class);
        assertThat(replay).isEqualTo(seen);
    }

    @Test
    void anExceptionFailsTheRunToo() {
        assertThatThrownBy(() -> Fuzz.check("throws", 10, 5L, Gen.just("x"), v -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("on try 1 of 10")
                .cause()
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLongValueIsShownCut() {
        assertThatThrownBy(() -> Fuzz.check("long", 1, 5L, Gen.just("y".repeat(5000)), v -> {
                    throw new IllegalStateException();
                }))
                .hasMessageContaining("… (5000 characters)");
    }
}
