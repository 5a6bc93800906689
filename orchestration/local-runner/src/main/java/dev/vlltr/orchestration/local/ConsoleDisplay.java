package dev.vlltr.orchestration.local;

import dev.vlltr.orchestration.StageExecution;
import dev.vlltr.orchestration.local.LocalRun.Outcome;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The local runner's console: one line per stage execution. On a terminal the running stage's line is redrawn in
 * place (a progress bar, its percentage and ETA when the stage logs progress, the elapsed time) and replaced by its
 * outcome; elsewhere (CI, a pipe, a file) nothing is redrawn: a running stage prints a plain progress line at most
 * once a minute, then its outcome line. {@code --verbose} prints every log line of the stages instead of the
 * progress. A failed stage gets its error and the last lines of its log.
 */
final class ConsoleDisplay implements LocalRun.RunDisplay {

    /** How the console is used. */
    enum Mode {
        /** A terminal: the running stage's line is redrawn in place. */
        TERMINAL,
        /** Not a terminal: no carriage returns, a progress line at most every {@link #PLAIN_INTERVAL}. */
        PLAIN,
        /** Every stage log line as it is written, prefixed with the stage execution. */
        VERBOSE
    }

    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(60);
    /** Log lines shown for a failed stage. */
    static final int FAILURE_LINES = 20;
    private static final int BAR_WIDTH = 20;
    private static final int LINE_WIDTH = 118;

    private final PrintStream out;
    private final Mode mode;
    private final Path logDir;
    private final Clock clock;
    private int total;
    private int index;
    private int idWidth = 12;
    private long stageStart;
    private long lastPrinted;
    private StageProgress progress = new StageProgress();
    private boolean statusShown;
    private long runStart;

    /** Nanosecond time source (tests drive it by hand). */
    @FunctionalInterface
    interface Clock {
        long nanoTime();
    }

    ConsoleDisplay(PrintStream out, Mode mode, Path logDir) {
        this(out, mode, logDir, System::nanoTime);
    }

    ConsoleDisplay(PrintStream out, Mode mode, Path logDir, Clock clock) {
        this.out = out;
        this.mode = mode;
        this.logDir = logDir;
        this.clock = clock;
    }

    @Override
    public void started(List<StageExecution> plan) {
        total = plan.size();
        idWidth = plan.stream().mapToInt(e -> e.id().length()).max().orElse(12);
        runStart = clock.nanoTime();
        out.printf("Pipeline: %d stage executions: %s%n", total,
                String.join(" -> ", plan.stream().map(StageExecution::id).toList()));
        out.println("Stage logs: " + logDir + "/<stage>.log" + (mode == Mode.VERBOSE ? " (streamed below)"
                : " (--verbose streams them)"));
    }

    @Override
    public synchronized void stageStarted(int i, StageExecution exec) {
        index = i;
        stageStart = clock.nanoTime();
        lastPrinted = stageStart;
        progress = new StageProgress();
        if (mode == Mode.TERMINAL) {
            redraw(exec);
        }
    }

    @Override
    public synchronized void stageOutput(StageExecution exec, String line) {
        long now = clock.nanoTime();
        progress.accept(line, now);
        switch (mode) {
            case VERBOSE -> out.println("  " + exec.id() + " | " + line);
            case TERMINAL -> redraw(exec);
            case PLAIN -> {
                if (now - lastPrinted >= PLAIN_INTERVAL.toNanos()) {
                    out.println(prefix(exec) + " running " + runningStatus(now));
                    lastPrinted = now;
                }
            }
        }
    }

    private void redraw(StageExecution exec) {
        String line = prefix(exec) + " " + bar() + " " + runningStatus(clock.nanoTime());
        String shown = line.length() > LINE_WIDTH ? line.substring(0, LINE_WIDTH - 1) + "…" : line;
        out.print("\r\033[2K" + shown);
        out.flush();
        statusShown = true;
    }

    private String bar() {
        OptionalDouble f = progress.fraction();
        int filled = f.isPresent() ? (int) Math.round(f.getAsDouble() * BAR_WIDTH) : 0;
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    /** {@code 42% epoch 2/5, ETA 1m10s, 3m02s elapsed}, or just the elapsed time before any progress line. */
    private String runningStatus(long now) {
        StringBuilder sb = new StringBuilder();
        progress.fraction().ifPresent(f -> sb.append(Math.round(100 * f)).append("% "));
        if (!progress.label().isEmpty()) {
            sb.append(progress.label()).append(", ");
        }
        progress.eta().ifPresent(eta -> sb.append("ETA ").append(LocalRun.format(eta)).append(", "));
        return sb.append(LocalRun.format(Duration.ofNanos(now - stageStart))).append(" elapsed").toString();
    }

    private String prefix(StageExecution exec) {
        String n = String.valueOf(total);
        return String.format("[%" + n.length() + "d/%s] %-" + idWidth + "s", index + 1, n, exec.id());
    }

    @Override
    public synchronized void stageFinished(int i, StageExecution exec, Outcome outcome) {
        if (statusShown) {
            out.print("\r\033[2K");
            statusShown = false;
        }
        index = i;
        out.println(outcomeLine(exec, outcome));
        if (outcome.status() == LocalRun.Status.FAILED) {
            List<String> tail = StageProcess.tail(outcome.log(), FAILURE_LINES);
            out.println("  last " + tail.size() + " lines of " + outcome.log() + ":");
            tail.forEach(l -> out.println("    " + l));
            errorLine(outcome.log()).ifPresent(e -> out.println("  " + e));
        }
    }

    /** {@code [4/10] lgr   done      1m05s  top1=0.8673 …}. */
    String outcomeLine(StageExecution exec, Outcome outcome) {
        String what = switch (outcome.status()) {
            case RAN -> "done";
            case MEMOISED -> "memoised";
            case FAILED -> "FAILED";
            case NOT_RUN -> "not run";
        };
        String detail = outcome.status() == LocalRun.Status.FAILED
                ? "exit code " + outcome.exitCode() + ", log " + outcome.log()
                : HeadlineMetrics.format(outcome.metrics());
        return String.format("%s %-8s %7s  %s", prefix(exec), what, LocalRun.format(outcome.elapsed()), detail)
                .stripTrailing();
    }

    /**
     * The stage's own error line: the stage contract prints {@code error: ...} on stderr (which goes to the log)
     * before exiting 1 or 2; the last one is the reason.
     */
    static java.util.Optional<String> errorLine(Path log) {
        List<String> lines = StageProcess.tail(log, 400);
        for (int k = lines.size() - 1; k >= 0; k--) {
            if (lines.get(k).startsWith("error: ")) {
                return java.util.Optional.of(lines.get(k));
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public void finished(List<Outcome> outcomes) {
        long ran = outcomes.stream().filter(o -> o.status() == LocalRun.Status.RAN).count();
        long memo = outcomes.stream().filter(o -> o.status() == LocalRun.Status.MEMOISED).count();
        long failed = outcomes.stream().filter(o -> o.status() == LocalRun.Status.FAILED).count();
        long notRun = outcomes.stream().filter(o -> o.status() == LocalRun.Status.NOT_RUN).count();
        out.printf("%d stage executions in %s: %d done, %d memoised%s%n", outcomes.size(),
                LocalRun.format(Duration.ofNanos(clock.nanoTime() - runStart)), ran, memo,
                failed > 0 ? ", " + failed + " failed, " + notRun + " not run" : "");
    }
}
