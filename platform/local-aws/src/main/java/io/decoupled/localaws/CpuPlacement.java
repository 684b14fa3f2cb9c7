package io.decoupled.localaws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where a benchmark's processes run (docs/benchmarks.md, run 19). SQS, SNS, Kinesis and RDS never run on a client's
 * cores; on one small machine the emulators and PostgreSQL do, and then a client that spends more CPU per message also
 * slows the server it is measured against, so the ratio measures the client's CPU rather than its throughput.
 *
 * <p>{@code -Dbenchmark.cpus}:
 * <ul>
 *   <li>{@code separate} (the default): the servers (the emulators this JVM started, and any others the benchmark
 *       names, such as PostgreSQL) on the machine's last core, this JVM on the others, for both sides of every ratio;
 *   <li>{@code shared}: every process free to run on every core, as before run 19.
 * </ul>
 * Placement uses Linux's {@code taskset}; without it, or with a single core, every benchmark runs shared, and the
 * report says so. Threads and processes started later inherit their parent's placement (PostgreSQL's backends are
 * forked from its postmaster), and {@link #apply} can be called again at any time to take in new ones.
 */
public final class CpuPlacement {
    /** The machine's cores, counted before this JVM was confined to some of them. */
    private static final int MACHINE_CORES = Runtime.getRuntime().availableProcessors();

    private static volatile String described = "not set (every process on every core)";

    private CpuPlacement() {}

    /**
     * Places this JVM and the servers: this JVM's child processes (the emulators), {@code moreServers} and their child
     * processes. Returns the placement as the reports print it.
     */
    public static synchronized String apply(Collection<ProcessHandle> moreServers) {
        var servers = new ArrayList<ProcessHandle>();
        ProcessHandle.current().children().forEach(servers::add);
        servers.addAll(moreServers);
        var requested = System.getProperty("benchmark.cpus", "separate").trim().toLowerCase(Locale.ROOT);
        var split = split(requested, MACHINE_CORES);
        var all = "0-" + (MACHINE_CORES - 1);
        if (split == null) {
            described = "shared (one core)";
            return described;
        }
        var clientCpus = split.client();
        var serverCpus = split.server();
        var failure = new ArrayList<String>();
        place(ProcessHandle.current(), clientCpus, failure);
        var serverProcesses = servers.stream()
                .flatMap(server -> Stream.concat(Stream.of(server), server.descendants()))
                .filter(ProcessHandle::isAlive)
                .distinct()
                .toList();
        serverProcesses.forEach(server -> place(server, serverCpus, failure));
        if (!failure.isEmpty()) {
            // Undo what was done, so that neither side of a ratio runs placed and the other not.
            place(ProcessHandle.current(), all, new ArrayList<>());
            serverProcesses.forEach(server -> place(server, all, new ArrayList<>()));
            described = "shared (taskset failed: " + failure.getFirst() + ")";
        } else if (requested.equals("shared")) {
            described = "shared (every process on every core)";
        } else {
            described = "separate (this JVM on cpu " + clientCpus + ", " + servers.size() + " server processes and"
                    + " their children on cpu " + serverCpus + ")";
        }
        System.out.println("Benchmark CPU placement: " + described);
        return described;
    }

    /**
     * Every process back on every core, whatever {@code -Dbenchmark.cpus} says: for a benchmark whose server runs inside
     * this JVM (the embedded Kafka broker), where there is nothing to separate.
     */
    public static synchronized String shared(String why) {
        var all = "0-" + (MACHINE_CORES - 1);
        var ignored = new ArrayList<String>();
        place(ProcessHandle.current(), all, ignored);
        ProcessHandle.current().descendants().forEach(child -> place(child, all, ignored));
        described = "shared (" + why + ")";
        System.out.println("Benchmark CPU placement: " + described);
        return described;
    }

    /** Which CPUs the client (this JVM) and the servers get, as taskset lists. */
    record Split(String client, String server) {}

    /** The CPUs of {@code mode} on a machine of {@code cores}; null when there is nothing to split (one core). */
    static Split split(String mode, int cores) {
        var all = "0-" + (cores - 1);
        return switch (mode) {
            case "shared" -> new Split(all, all);
            case "separate" ->
                cores < 2 ? null : new Split(cores == 2 ? "0" : "0-" + (cores - 2), String.valueOf(cores - 1));
            default -> throw new IllegalArgumentException("benchmark.cpus must be separate or shared, not " + mode);
        };
    }

    /** The placement as last applied, for the reports. */
    public static String described() {
        return described;
    }

    /** The machine's cores, whatever share of them this JVM runs on. */
    public static int machineCores() {
        return MACHINE_CORES;
    }

    /** Sets the CPUs of every thread of {@code process} ({@code taskset -a -p -c}); records why it failed, if it did. */
    static void place(ProcessHandle process, String cpus, List<String> failure) {
        try {
            var taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, String.valueOf(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            var output = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!taskset.waitFor(10, TimeUnit.SECONDS)) {
                taskset.destroyForcibly();
                failure.add("taskset did not finish for pid " + process.pid());
            } else if (taskset.exitValue() != 0 && process.isAlive()) {
                failure.add(output.strip());
            }
        } catch (IOException e) {
            failure.add(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.add("interrupted");
        }
    }
}
