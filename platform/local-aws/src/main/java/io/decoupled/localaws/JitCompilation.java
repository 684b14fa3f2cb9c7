package io.decoupled.localaws;

import java.lang.management.ManagementFactory;

/**
 * The JIT compiler's share of a benchmark measurement, and when a benchmark's warm-up may end (docs/benchmarks.md,
 * run 17): on 2 cores a compiler thread still at work takes CPU from whichever side of a ratio it overlaps.
 */
public final class JitCompilation {
    /** A warm-up ends once no measurement of its last cycle spent more of its time than this compiling. */
    public static final double SETTLED_SHARE = 0.05;
    /** Or after this many cycles, settled or not. */
    public static final int MAX_WARM_UPS = 6;

    private JitCompilation() {}

    /** The JIT's compile time so far, summed over its compiler threads, in milliseconds. */
    public static long millis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** The compile time since {@code startMillis} ({@link #millis()}) over a measurement that lasted {@code seconds}. */
    public static double shareSince(long startMillis, double seconds) {
        return (millis() - startMillis) / 1e3 / seconds;
    }

    /** Whether a warm-up may end after this cycle, whose measurements compiled at most {@code share} of their time. */
    public static boolean settled(int cycle, double share) {
        return settled(cycle, share, MAX_WARM_UPS);
    }

    /** As {@link #settled(int, double)}, with a cap of {@code maxCycles} instead of {@link #MAX_WARM_UPS}. */
    public static boolean settled(int cycle, double share, int maxCycles) {
        return share <= SETTLED_SHARE || cycle >= maxCycles;
    }
}
