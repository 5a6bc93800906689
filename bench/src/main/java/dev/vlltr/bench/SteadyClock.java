package dev.vlltr.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The harness's warm-up rule on the Java side (the Python side is {@code bench/lib/benchstat.py SteadyClock}): warm up
 * for at least {@code minWarmup} steps and {@code minWarmupSeconds} (the JIT compiles the hot code over seconds,
 * whatever the step length: a step-counted warm-up of a 4 ms step ended long before), then until the coefficient of
 * variation of the last {@code window} step times is at most {@code cv} <em>and</em> the JIT has been quiet (compiled
 * for at most {@code jitQuietFraction} of the last {@code jitQuietSeconds}), at most {@code maxWarmup} further steps
 * and {@code maxWarmupSeconds}; then time at least {@code steps} steps and {@code minSeconds} (30 steps of 4 ms are
 * shorter than one scheduler hiccup).
 *
 * <p>Why the JIT rule: the JVM's C2 compiler keeps compiling DJL's call paths for 15–25 s of a CVLP run, and on a
 * 2-core machine its thread takes CPU from libtorch's OpenMP threads; the step times can look steady (low CV) long
 * before that ends — under the CV rule alone the JIT was still compiling for 9–10 % of the timed steps' wall time at
 * two threads. A stage run trains for minutes, so the steady state is what it sees; the compilation is in the pipeline
 * timings.
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

    @Option(names = "--max-warmup", defaultValue = "100000",
            description = "Warm-up steps at most after the minimum (default: ${DEFAULT-VALUE}).")
    int maxWarmup;

    @Option(names = "--max-warmup-seconds", defaultValue = "150",
            description = "Warm-up seconds at most; a warm-up cut short prints steady=false "
                    + "(default: ${DEFAULT-VALUE}).")
    double maxWarmupSeconds;

    @Option(names = "--jit-quiet-seconds", defaultValue = "5",
            description = "The JIT counts as quiet when, over the last this many seconds, ... "
                    + "(default: ${DEFAULT-VALUE}).")
    double jitQuietSeconds;

    @Option(names = "--jit-quiet-fraction", defaultValue = "0.02",
            description = "... it compiled for at most this share of the time; 1 switches the rule off "
                    + "(default: ${DEFAULT-VALUE}).")
    double jitQuietFraction;

    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

    /** One step of the measured work; set-up that should not be timed happens outside. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** Warms up until steady, times the steps, returns the harness's JSON fields (times in ms). */
    public Map<String, Object> run(Step step) throws Exception {
        if (steps < 1 || window < 2 || minWarmup < 0 || maxWarmup < 0 || minWarmupSeconds < 0 || minSeconds < 0
                || maxWarmupSeconds < minWarmupSeconds || jitQuietSeconds <= 0 || jitQuietFraction < 0) {
            throw new IllegalArgumentException("bad warm-up settings: steps=" + steps + " window=" + window
                    + " min-warmup=" + minWarmup + " max-warmup=" + maxWarmup + " min-warmup-seconds="
                    + minWarmupSeconds + " max-warmup-seconds=" + maxWarmupSeconds + " min-seconds=" + minSeconds
                    + " jit-quiet-seconds=" + jitQuietSeconds + " jit-quiet-fraction=" + jitQuietFraction);
        }
        List<Double> warm = new ArrayList<>();
        JitWindow jitWindow = new JitWindow(jitQuietSeconds);
        long jit0 = compileMillis();
        boolean steady = false;
        boolean stepsSteady = false;
        long t0 = System.nanoTime();
        jitWindow.add(0, jit0);
        int minimum = -1;   // warm-up steps when the minimum (steps and seconds) was reached
        while (true) {
            warm.add(timed(step));
            double elapsed = seconds(t0);
            jitWindow.add(elapsed, compileMillis());
            if (minimum < 0 && warm.size() >= minWarmup && elapsed >= minWarmupSeconds) {
                minimum = warm.size();
            }
            if (minimum >= 0) {
                stepsSteady = warm.size() >= window
                        && coefficientOfVariation(warm.subList(warm.size() - window, warm.size())) <= cv;
                if (stepsSteady && jitWindow.quiet(jitQuietFraction)) {
                    steady = true;
                    break;
                }
                if (warm.size() - minimum >= maxWarmup || elapsed >= maxWarmupSeconds) {
                    break;
                }
            }
        }
        double warmupSeconds = seconds(t0);
        long jitWarm = compileMillis();
        long faults0 = minorFaults();
        List<Double> timed = new ArrayList<>();
        t0 = System.nanoTime();
        while (timed.size() < steps || (seconds(t0) < minSeconds && timed.size() < 1_000_000)) {
            timed.add(timed(step));
        }
        double timedSeconds = seconds(t0);
        long faults1 = minorFaults();
        long jitTimed = compileMillis();
        double[] ms = timed.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("warmup_steps", warm.size());
        out.put("warmup_seconds", Math.round(warmupSeconds * 100) / 100.0);
        out.put("steady", steady);
        out.put("steady_cv", cv);
        out.put("steady_window", window);
        // why a warm-up that ran out was not steady: the step times, the JIT, or both
        out.put("steady_steps", stepsSteady);
        out.put("jit_quiet", jit0 < 0 ? null : jitWindow.quiet(jitQuietFraction));
        out.put("jit_ms_warmup", jit0 < 0 ? null : jitWarm - jit0);
        // compilation during the timed steps, as a share of their time: what the JIT could still have cost them
        out.put("jit_ms_timed", jit0 < 0 ? null : jitTimed - jitWarm);
        out.put("jit_share_timed",
                jit0 < 0 ? null : Math.round((jitTimed - jitWarm) / (timedSeconds * 1000) * 1e4) / 1e4);
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

    /** Milliseconds the JIT has compiled so far, or -1 where the JVM does not say. */
    private long compileMillis() {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * Samples of (seconds since warm-up start, JIT milliseconds so far). The window's base is the newest sample at least
     * {@code seconds} old; quiet when there is one and the JIT compiled for at most a given share of the time since.
     */
    static final class JitWindow {
        private final double seconds;
        private final ArrayDeque<double[]> samples = new ArrayDeque<>();
        private double[] base;

        JitWindow(double seconds) {
            this.seconds = seconds;
        }

        void add(double at, long compileMillis) {
            samples.addLast(new double[] {at, compileMillis});
            while (at - samples.peekFirst()[0] >= seconds) {   // never the sample just added: seconds > 0
                base = samples.pollFirst();
            }
        }

        boolean quiet(double share) {
            double[] last = samples.peekLast();
            if (share >= 1 || last == null || last[1] < 0) {
                return true;   // rule off, or no JIT to wait for
            }
            return base != null && last[1] - base[1] <= share * (last[0] - base[0]) * 1000;
        }
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
