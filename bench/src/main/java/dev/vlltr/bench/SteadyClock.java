package dev.vlltr.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The harness's warm-up rule on the Java side (the Python side is {@code bench/lib/benchstat.py SteadyClock}): warm up
 * for at least {@code minWarmup} steps and {@code minWarmupSeconds} (the JIT compiles the hot code over seconds,
 * whatever the step length: a step-counted warm-up of a 4 ms step ended long before), then until the coefficient of
 * variation of the last {@code window} step times is at most {@code cv}, at most {@code maxWarmup} further steps; then
 * time at least {@code steps} steps and {@code minSeconds} (30 steps of 4 ms are shorter than one scheduler hiccup).
 * Used as a picocli mixin so that every bench takes the same options and prints the same JSON fields, among them the
 * minor page faults per timed step and the {@code GLIBC_TUNABLES} the process ran with.
 */
public final class SteadyClock {

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps at least (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--min-seconds", defaultValue = "2",
            description = "Timed seconds at least (default: ${DEFAULT-VALUE}).")
    double minSeconds;

    @Option(names = "--steady-window", defaultValue = "5",
            description = "Warm-up ends when the last N step times ... (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--steady-cv", defaultValue = "0.05",
            description = "... have a coefficient of variation at most this (default: ${DEFAULT-VALUE}).")
    double cv;

    @Option(names = "--min-warmup", defaultValue = "5", description = "Warm-up steps at least (default: ${DEFAULT-VALUE}).")
    int minWarmup;

    @Option(names = "--min-warmup-seconds", defaultValue = "3",
            description = "Warm-up seconds at least (default: ${DEFAULT-VALUE}).")
    double minWarmupSeconds;

    @Option(names = "--max-warmup", defaultValue = "60",
            description = "Warm-up steps at most after the minimum (default: ${DEFAULT-VALUE}).")
    int maxWarmup;

    /** One step of the measured work; set-up that should not be timed happens outside. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** Warms up until steady, times the steps, returns the harness's JSON fields (times in ms). */
    public Map<String, Object> run(Step step) throws Exception {
        if (steps < 1 || window < 2 || minWarmup < 0 || maxWarmup < 0 || minWarmupSeconds < 0 || minSeconds < 0) {
            throw new IllegalArgumentException("bad warm-up settings: steps=" + steps + " window=" + window
                    + " min-warmup=" + minWarmup + " max-warmup=" + maxWarmup + " min-warmup-seconds="
                    + minWarmupSeconds + " min-seconds=" + minSeconds);
        }
        List<Double> warm = new ArrayList<>();
        boolean steady = false;
        long t0 = System.nanoTime();
        int minimum = -1;   // warm-up steps when the minimum (steps and seconds) was reached
        while (true) {
            warm.add(timed(step));
            if (minimum < 0 && warm.size() >= minWarmup && seconds(t0) >= minWarmupSeconds) {
                minimum = warm.size();
            }
            if (minimum >= 0) {
                if (warm.size() >= window
                        && coefficientOfVariation(warm.subList(warm.size() - window, warm.size())) <= cv) {
                    steady = true;
                    break;
                }
                if (warm.size() - minimum >= maxWarmup) {
                    break;
                }
            }
        }
        double warmupSeconds = seconds(t0);
        long faults0 = minorFaults();
        List<Double> timed = new ArrayList<>();
        t0 = System.nanoTime();
        while (timed.size() < steps || (seconds(t0) < minSeconds && timed.size() < 1_000_000)) {
            timed.add(timed(step));
        }
        long faults1 = minorFaults();
        double[] ms = timed.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("warmup_steps", warm.size());
        out.put("warmup_seconds", Math.round(warmupSeconds * 100) / 100.0);
        out.put("steady", steady);
        out.put("steady_cv", cv);
        out.put("steady_window", window);
        out.put("steps", ms.length);
        out.put("median_step_ms", round3(median(ms)));
        out.put("min_step_ms", round3(ms[0]));
        out.put("max_step_ms", round3(ms[ms.length - 1]));
        out.put("timed_cv", Math.round(coefficientOfVariation(timed) * 10000) / 10000.0);
        if (faults0 >= 0 && faults1 >= 0) {
            out.put("minor_faults_per_step", Math.round((faults1 - faults0) * 10.0 / ms.length) / 10.0);
        }
        out.put("glibc_tunables", System.getenv("GLIBC_TUNABLES"));
        return out;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Minor page faults of this process so far ({@code /proc/self/stat} field 10), or -1 where there is none. */
    static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double timed(Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Sample standard deviation over mean, as Python's {@code statistics.stdev / fmean}. */
    static double coefficientOfVariation(List<Double> v) {
        if (v.size() < 2) {
            return 0;
        }
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return mean > 0 ? Math.sqrt(ss / (v.size() - 1)) / mean : Double.POSITIVE_INFINITY;
    }

    /** Median of sorted values (mean of the middle two for an even count, as Python's statistics.median). */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
