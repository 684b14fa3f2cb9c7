package io.decoupled.localaws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time of a server's whole process tree, for the benchmarks' per-event figures: PostgreSQL's postmaster, its
 * backends and the autovacuum workers that come and go, or an emulator and anything it forks. {@link
 * ProcessHandle.Info#totalCpuDuration()} gives a process's own time only, so a backend or worker that ended during a
 * measurement would take its time with it; Linux adds the time of a child that ended to its parent's, once the
 * parent has waited for it, and this reads both.
 */
public final class ProcessCpu {
    /** Linux's clock ticks per second ({@code USER_HZ}) in {@code /proc/<pid>/stat}: 100 on every architecture it runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    /**
     * The CPU time {@code root} and its descendants have used, those that ended and were waited for by a process of the
     * tree included. Where {@code /proc} cannot be read (not Linux, a process ended while being read), that process's
     * own time as the JDK reports it, or nothing.
     */
    public static Duration ofTree(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants())
                .map(ProcessCpu::withEndedChildren)
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** The sum of {@link #ofTree} over {@code roots}. */
    public static Duration ofTrees(Stream<ProcessHandle> roots) {
        return roots.map(ProcessCpu::ofTree).reduce(Duration.ZERO, Duration::plus);
    }

    /** A process's own time and that of its children that ended and were waited for ({@code utime} to {@code cstime}). */
    static Duration withEndedChildren(ProcessHandle process) {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // The command name, in parentheses, may itself contain spaces and parentheses: fields start after the last.
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14-17 of proc(5) (utime, stime, cutime, cstime), here counted from field 3 (state) as 0.
            long ticks = 0;
            for (int field = 11; field <= 14; field++) {
                ticks += Long.parseLong(fields[field]);
            }
            return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return process.info().totalCpuDuration().orElse(Duration.ZERO);
        }
    }
}
