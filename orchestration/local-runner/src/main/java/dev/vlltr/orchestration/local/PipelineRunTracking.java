package dev.vlltr.orchestration.local;

import dev.vlltr.orchestration.local.LocalRun.Outcome;
import dev.vlltr.orchestration.local.LocalRun.Status;
import dev.vlltr.runtime.tracking.RunStatus;
import dev.vlltr.runtime.tracking.TrackedRun;
import dev.vlltr.runtime.tracking.Tracker;
import dev.vlltr.runtime.tracking.TrackerFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pipeline run's parent MLflow run, as the orchestrator keeps it: the stages nest their runs under it (found by
 * the pipeline run id), and only the orchestrator knows when the whole run is over. It logs the pipeline parameters
 * when the run starts, and at the end the headline metrics of the last stage (the evaluation's selected model), how
 * many stages ran or were memoised, and the run's status: FINISHED, FAILED, or KILLED when the runner is stopped.
 *
 * <p>Tracking is secondary to the manifests: a tracking failure is reported as one warning and the run goes on.
 */
final class PipelineRunTracking implements AutoCloseable {

    private final Tracker tracker;
    private final TrackedRun run;
    private final Consumer<String> warn;
    private final long startMillis = System.currentTimeMillis();

    private PipelineRunTracking(Tracker tracker, TrackedRun run, Consumer<String> warn) {
        this.tracker = tracker;
        this.run = run;
        this.warn = warn;
    }

    /**
     * Finds or creates the parent run and logs the parameters; a run id used before gets its earlier parent back
     * (MLflow params are write-once, so values changed since then are reported and kept as they were).
     */
    static PipelineRunTracking start(String trackingUri, String experiment, String runId, Map<String, Object> params,
            Map<String, String> tags, Consumer<String> warn) {
        Tracker tracker = null;
        try {
            tracker = TrackerFactory.forUri(trackingUri);
            TrackedRun run = tracker.startPipelineRun(experiment, runId);
            PipelineRunTracking t = new PipelineRunTracking(tracker, run, warn);
            t.logParams(params);
            run.setTags(tags);
            run.flush();
            return t;
        } catch (RuntimeException e) {
            warn.accept("tracking: cannot start the pipeline's parent run in " + trackingUri + " (" + e.getMessage()
                    + "); the stages still track their own runs");
            if (tracker != null) {
                tracker.close();
            }
            return null;
        }
    }

    /** The parent run's MLflow id. */
    String runId() {
        return run.runId();
    }

    private void logParams(Map<String, Object> params) {
        List<String> kept = new ArrayList<>();
        params.forEach((k, v) -> {
            try {
                // one at a time: a value changed since an earlier attempt must not block the others
                run.logParam(k, text(v));
                run.flush();
            } catch (IllegalArgumentException e) {
                kept.add(k);
            }
        });
        if (!kept.isEmpty()) {
            warn.accept("tracking: parent run " + run.runId() + " keeps the first value of " + kept
                    + " (MLflow params are write-once; use a new --run-id for a new parameter set)");
        }
    }

    static String text(Object v) {
        return v instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(v);
    }

    /** Logs the last stage's headline metrics and the stage counts, and ends the run by the outcomes. */
    void finished(List<Outcome> outcomes) {
        try {
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (!outcomes.isEmpty()) {
                metrics.putAll(outcomes.get(outcomes.size() - 1).metrics());
            }
            metrics.put("stages_ran", (double) outcomes.stream().filter(o -> o.status() == Status.RAN).count());
            metrics.put("stages_memoised",
                    (double) outcomes.stream().filter(o -> o.status() == Status.MEMOISED).count());
            metrics.put("duration_s", (System.currentTimeMillis() - startMillis) / 1000.0);
            metrics.forEach((k, v) -> run.logMetric(k, v, 0));
            boolean ok = !outcomes.isEmpty() && outcomes.stream()
                    .allMatch(o -> o.status() == Status.RAN || o.status() == Status.MEMOISED);
            run.end(ok ? RunStatus.FINISHED : RunStatus.FAILED);
        } catch (RuntimeException e) {
            warn.accept("tracking: cannot end the parent run " + run.runId() + ": " + e.getMessage());
        }
    }

    /** Ends the run as KILLED when {@link #finished} was not reached (Ctrl-C, an exception), and closes the tracker. */
    @Override
    public void close() {
        try {
            if (!run.isEnded()) {
                run.end(RunStatus.KILLED);
            }
        } catch (RuntimeException e) {
            warn.accept("tracking: cannot end the parent run " + run.runId() + ": " + e.getMessage());
        } finally {
            tracker.close();
        }
    }
}
