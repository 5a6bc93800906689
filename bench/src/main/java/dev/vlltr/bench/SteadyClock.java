package dev.vlltr.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The harness's warm-up rule on the Java side (the Python side is {@code bench/lib/benchstat.py SteadyClock}): run
 * the step until the coefficient of variation of the last {@code window} step times is at most {@code cv} (after at
 * least {@code minWarmup}, at most {@code maxWarmup} steps), then time {@code steps} steps. A fixed number of warm-up
 * steps mixed JIT compilation and oneDNN's first-call set-up into the result. Used as a picocli mixin so that every
 * bench takes the same options and prints the same JSON fields.
 */
public final class SteadyClock {

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--steady-window", defaultValue = "5",
            description = "Warm-up ends when the last N step times ... (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--steady-cv", defaultValue = "0.05",
            description = "... have a coefficient of variation at most this (default: ${DEFAULT-VALUE}).")
    double cv;

    @Option(names = "--min-warmup", defaultValue = "5", description = "Warm-up steps at least (default: ${DEFAULT-VALUE}).")
    int minWarmup;

    @Option(names = "--max-warmup", defaultValue = "60", description = "Warm-up steps at most (default: ${DEFAULT-VALUE}).")
    int maxWarmup;

    /** One step of the measured work; set-up that should not be timed happens outside. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** Warms up until steady, times the steps, returns the harness's JSON fields (times in ms). */
    public Map<String, Object> run(Step step) throws Exception {
        if (steps < 1 || window < 2 || minWarmup < 0 || maxWarmup < minWarmup) {
            throw new IllegalArgumentException("bad warm-up settings: steps=" + steps + " window=" + window
                    + " min-warmup=" + minWarmup + " max-warmup=" + maxWarmup);
        }
        List<Double> warm = new ArrayList<>();
        boolean steady = false;
        while (warm.size() < maxWarmup) {
            warm.add(timed(step));
            if (warm.size() >= Math.max(minWarmup, window)
                    && coefficientOfVariation(warm.subList(warm.size() - window, warm.size())) <= cv) {
                steady = true;
                break;
            }
        }
        double[] ms = new double[steps];
        for (int i = 0; i < steps; i++) {
            ms[i] = timed(step);
        }
        Arrays.sort(ms);
        List<Double> timed = new ArrayList<>();
        for (double v : ms) {
            timed.add(v);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("warmup_steps", warm.size());
        out.put("steady", steady);
        out.put("steady_cv", cv);
        out.put("steady_window", window);
        out.put("steps", steps);
        out.put("median_step_ms", round3(median(ms)));
        out.put("min_step_ms", round3(ms[0]));
        out.put("max_step_ms", round3(ms[ms.length - 1]));
        out.put("timed_cv", Math.round(coefficientOfVariation(timed) * 10000) / 10000.0);
        return out;
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
