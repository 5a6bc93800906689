package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.tracking.RunStatus;
import dev.vlltr.runtime.tracking.TrackedRun;
import dev.vlltr.runtime.tracking.Tracker;
import dev.vlltr.runtime.tracking.TrackerFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StageTracking} over a {@link Tracker}: one MLflow run per stage execution, nested under the pipeline run's
 * parent run in the pipeline's experiment.
 */
public final class TrackedStage implements StageTracking {

    /** Default experiment when neither {@code --experiment} nor {@code $VLLTR_EXPERIMENT} is given. */
    public static final String DEFAULT_EXPERIMENT = "vl-ltr";

    /**
     * Environment variable naming the stage execution ({@code recalibration[crt]}): set by the orchestrator for a
     * fanned-out stage so that its MLflow run is named after the execution, not just the stage.
     */
    public static final String ENV_EXECUTION = "VLLTR_STAGE_EXECUTION";

    private final Tracker tracker;
    private final String experiment;
    private final String execution;
    private TrackedRun run;

    public TrackedStage(Tracker tracker, String experiment) {
        this(tracker, experiment, null);
    }

    /** @param execution the run name (the stage execution's id), or null to name the run after the stage */
    public TrackedStage(Tracker tracker, String experiment, String execution) {
        this.tracker = tracker;
        this.experiment = experiment;
        this.execution = execution == null || execution.isBlank() ? null : execution.strip();
    }

    /**
     * The tracking of a stage invocation: {@code trackingUri} (else {@code $VLLTR_TRACKING_URI}, else
     * {@code $MLFLOW_TRACKING_URI}, else off) and {@code experiment} (else {@code $VLLTR_EXPERIMENT}, else vl-ltr).
     */
    public static TrackedStage open(String trackingUri, String experiment) {
        Tracker tracker = trackingUri == null || trackingUri.isBlank()
                ? TrackerFactory.fromEnvironment() : TrackerFactory.forUri(trackingUri.strip());
        String exp = experiment;
        if (exp == null || exp.isBlank()) {
            String env = System.getenv("VLLTR_EXPERIMENT");
            exp = env == null || env.isBlank() ? DEFAULT_EXPERIMENT : env.strip();
        }
        return new TrackedStage(tracker, exp, System.getenv(ENV_EXECUTION));
    }

    @Override
    public void started(String stage, String runId, Map<String, String> params, Map<String, String> tags) {
        // an execution id of another stage (a stale variable) must not rename this stage's run
        String name = execution != null && (execution.equals(stage) || execution.startsWith(stage + "["))
                ? execution : stage;
        run = tracker.startStageRun(experiment, runId, stage, name);
        run.logParams(params);
        run.setTags(tags);
    }

    @Override
    public Optional<String> trackingRunId() {
        return run == null || run.runId().isEmpty() ? Optional.empty() : Optional.of(run.runId());
    }

    @Override
    public void metrics(List<StageContext.MetricPoint> points) {
        if (run != null) {
            points.forEach(p -> run.logMetric(p.key(), p.value(), p.step(), p.timestampMillis()));
        }
    }

    @Override
    public void artifact(Path file) {
        if (run != null) {
            run.logArtifact(file, "");
        }
    }

    @Override
    public void finished(boolean success) {
        if (run != null) {
            run.end(success ? RunStatus.FINISHED : RunStatus.FAILED);
        }
    }

    @Override
    public void close() {
        try {
            if (run != null && !run.isEnded()) {
                run.close();
            }
        } finally {
            tracker.close();
        }
    }
}
