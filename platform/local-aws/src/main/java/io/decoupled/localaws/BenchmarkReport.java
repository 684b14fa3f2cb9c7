package io.decoupled.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The benchmark command's output convention (docs/benchmarks.md): one line of JSON in
 * {@code target/benchmarks/<name>.json} and one table line {@code BENCHMARK name ratio=... bar=... PASS/MISS}.
 * A miss is reported, never thrown: timings on a shared machine are not a test verdict.
 */
public final class BenchmarkReport {
    private BenchmarkReport() {}

    /** A result where higher is better (a throughput ratio): PASS when {@code value >= bar}. */
    public static void atLeast(String name, String metric, double value, double bar, Map<String, Object> details) {
        write(name, metric, value, ">=", bar, value >= bar, details);
    }

    /** A result where lower is better (calls per message, calls a minute): PASS when {@code value <= bar}. */
    public static void atMost(String name, String metric, double value, double bar, Map<String, Object> details) {
        write(name, metric, value, "<=", bar, value <= bar, details);
    }

    /** A reported number without a bar (latency percentiles). */
    public static void info(String name, String metric, double value, Map<String, Object> details) {
        write(name, metric, value, null, Double.NaN, true, details);
    }

    public static double median(List<Double> values) {
        var sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void write(
            String name,
            String metric,
            double value,
            String relation,
            double bar,
            boolean pass,
            Map<String, Object> details) {
        var json = new LinkedHashMap<String, Object>();
        json.put("name", name);
        json.put("metric", metric);
        json.put("value", value);
        if (relation != null) {
            json.put("bar", relation + bar);
            json.put("result", pass ? "PASS" : "MISS");
        } else {
            json.put("result", "INFO");
        }
        json.put("loadAverage", loadAverage());
        json.put("cores", CpuPlacement.machineCores());
        json.put("cpuPlacement", CpuPlacement.described());
        json.putAll(details);
        var line = json.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + render(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
        try {
            var dir = Path.of("target", "benchmarks");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".json"), line + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(
                relation == null
                        ? String.format(Locale.ROOT, "BENCHMARK %s %s=%.3f INFO %s", name, metric, value, details)
                        : String.format(
                                Locale.ROOT,
                                "BENCHMARK %s %s=%.3f bar%s%s %s %s",
                                name,
                                metric,
                                value,
                                relation,
                                bar,
                                pass ? "PASS" : "MISS",
                                details));
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String render(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(BenchmarkReport::render).collect(Collectors.joining(",", "[", "]"));
        }
        return quote(String.valueOf(value));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
