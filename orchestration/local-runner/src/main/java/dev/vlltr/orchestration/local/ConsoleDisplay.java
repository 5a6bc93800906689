package dev.vlltr.orchestration.local;

import dev.vlltr.orchestration.StageExecution;
import dev.vlltr.orchestration.local.LocalRun.Outcome;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The local runner's progress display: a line per stage start and finish, and while a stage runs, a status line with
 * its elapsed time and the last line of its log (redrawn in place on a terminal, every 30 s otherwise).
 */
final class ConsoleDisplay implements LocalRun.RunDisplay {

    private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(30);

    private final PrintStream out;
    private final boolean terminal;
    private int total;
    private int index;
    private Instant stageStart = Instant.now();
    private Instant lastPrinted = Instant.EPOCH;
    private boolean statusShown;

    ConsoleDisplay(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void started(List<StageExecution> plan) {
        total = plan.size();
        out.printf("Pipeline: %d stage executions: %s%n", total,
                String.join(" -> ", plan.stream().map(StageExecution::id).toList()));
    }

    @Override
    public void stageStarted(int i, StageExecution exec) {
        index = i;
        stageStart = Instant.now();
        lastPrinted = stageStart;
        out.printf("[%d/%d] %s ...%n", i + 1, total, exec.id());
    }

    @Override
    public synchronized void stageOutput(StageExecution exec, String lastLine) {
        Instant now = Instant.now();
        String status = String.format("[%d/%d] %s %s | %s", index + 1, total, exec.id(),
                LocalRun.format(Duration.between(stageStart, now)), lastLine);
        if (terminal) {
            int width = 118;
            String shown = status.length() > width ? status.substring(0, width - 1) + "…" : status;
            out.print("\r\033[2K" + shown);
            out.flush();
            statusShown = true;
        } else if (Duration.between(lastPrinted, now).compareTo(PLAIN_INTERVAL) >= 0) {
            out.println(status);
            lastPrinted = now;
        }
    }

    @Override
    public synchronized void stageFinished(int i, StageExecution exec, Outcome outcome) {
        if (statusShown) {
            out.print("\r\033[2K");
            statusShown = false;
        }
        String what = switch (outcome.status()) {
            case RAN -> "done";
            case MEMOISED -> "skipped (memoised: inputs and parameters unchanged)";
            case FAILED -> "FAILED (exit code " + outcome.exitCode() + ")";
            case NOT_RUN -> "not run";
        };
        out.printf("[%d/%d] %s %s in %s%n", i + 1, total, exec.id(), what, LocalRun.format(outcome.elapsed()));
        if (outcome.status() == LocalRun.Status.FAILED) {
            out.println("  last lines of " + outcome.log() + ":");
            StageProcess.tail(outcome.log(), 20).forEach(l -> out.println("    " + l));
        }
    }

    @Override
    public void finished(List<Outcome> outcomes) {
        out.println("Stages:");
        LocalRun.summary(outcomes, out);
    }
}
