package dev.vlltr.runtime.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@link StageRunner} reports to experiment tracking for one stage execution. The runner depends on this
 * narrow port; {@code dev.vlltr.runtime.tracking} implements it over an MLflow server or the MLflow-compatible local
 * store.
 */
public interface StageTracking extends AutoCloseable {

    /** Tracking switched off: reports nothing. */
    StageTracking NONE = new StageTracking() {
        @Override
        public void started(String stage, String runId, Map<String, String> params, Map<String, String> tags) {}

        @Override
        public void metrics(List<StageContext.MetricPoint> points) {}

        @Override
        public void artifact(Path file) {}

        @Override
        public void finished(boolean success) {}
    };

    /** The stage started with these effective parameters; tags carry run id, stage, fingerprint, code version. */
    void started(String stage, String runId, Map<String, String> params, Map<String, String> tags) throws Exception;

    /** The tracking run's id (MLflow's run id) once {@link #started} ran; empty when tracking is off. */
    default Optional<String> trackingRunId() {
        return Optional.empty();
    }

    /** Metric points (per epoch or per step) reported by the stage. */
    void metrics(List<StageContext.MetricPoint> points) throws Exception;

    /** A file to attach to the tracking run (plots, reports, the manifest). */
    void artifact(Path file) throws Exception;

    /** The stage ended; {@code success} false when it failed. */
    void finished(boolean success) throws Exception;

    @Override
    default void close() throws Exception {}
}
