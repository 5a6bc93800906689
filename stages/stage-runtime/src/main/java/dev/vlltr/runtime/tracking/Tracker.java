package dev.vlltr.runtime.tracking;

import java.util.Map;

/**
 * Logs a pipeline's runs to MLflow (a tracking server or a local file store).
 *
 * <p>Layout: one experiment per pipeline; one parent run per pipeline run id, found by its tag {@value
 * TrackingTags#PIPELINE_RUN_ID} and created when missing (so retried stages and re-invocations find the same parent);
 * one nested run per stage invocation. Stages call {@link #startStageRun}; an orchestrator that wants the parent's
 * status to mean something calls {@link #startPipelineRun} and ends it.
 *
 * <p>Implementations are thread-safe. {@link #close()} flushes and releases connections; it does not end runs.
 */
public interface Tracker extends AutoCloseable {

    /** Where this tracker writes, for logs and manifests (a URI, or {@code none}). */
    String uri();

    /** Whether anything is recorded at all ({@code false} only for the disabled tracker). */
    boolean isEnabled();

    /**
     * Finds the active experiment with this name or creates it; concurrent callers get the same id.
     *
     * @throws IllegalStateException if an experiment with this name exists but is deleted
     */
    String getOrCreateExperiment(String experimentName);

    /**
     * Finds or creates the parent run of a pipeline run: run name and tag {@value TrackingTags#PIPELINE_RUN_ID} are
     * the pipeline run id. Repeat-safe: calling it again (or from a retried process) returns the same run.
     */
    TrackedRun startPipelineRun(String experimentName, String pipelineRunId);

    /**
     * Creates the run of one stage invocation, nested under the pipeline's parent run (found or created): tags
     * {@value TrackingTags#PARENT_RUN_ID}, {@value TrackingTags#STAGE}, {@value TrackingTags#RUN_ID} (the pipeline run
     * id), and run name {@code stage}. Every invocation gets its own run: a retried stage shows as a second nested run
     * next to the failed one.
     */
    default TrackedRun startStageRun(String experimentName, String pipelineRunId, String stage) {
        return startStageRun(experimentName, pipelineRunId, stage, stage);
    }

    /**
     * As {@link #startStageRun(String, String, String)}, with the run named after the stage's execution rather than
     * the stage: {@code recalibration[crt]} for the fanned-out recalibration with method crt, so that the five
     * recalibration runs of one pipeline run can be told apart in the UI. The {@value TrackingTags#STAGE} tag stays the
     * stage name.
     */
    TrackedRun startStageRun(String experimentName, String pipelineRunId, String stage, String runName);

    /** Creates a stand-alone run with these extra tags (run name, user and source tags are added). */
    TrackedRun startRun(String experimentName, String runName, Map<String, String> tags);

    /** Flushes every run still open and releases resources; the runs stay in their current status. */
    @Override
    void close();
}
