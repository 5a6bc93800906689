package dev.vlltr.runtime.tracking;

import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker for tracking URI {@code none}: records nothing, validates what it is given as the real trackers do (so a
 * bad metric key fails the same way with tracking off), and says once, at creation, that tracking is off.
 */
public final class DisabledTracker implements Tracker {
    private static final Logger LOG = LoggerFactory.getLogger(DisabledTracker.class);

    /** Creates it and logs one INFO line saying that nothing will be tracked. */
    public DisabledTracker() {
        LOG.info("MLflow tracking is disabled (tracking URI 'none'): params, metrics and artifacts are not logged;"
                + " set --tracking-uri / VLLTR_TRACKING_URI / MLFLOW_TRACKING_URI to an http(s):// server or a"
                + " directory to record them");
    }

    @Override
    public String uri() {
        return "none";
    }

    @Override
    public boolean isEnabled() {
        return false;
    }

    @Override
    public String getOrCreateExperiment(String experimentName) {
        AbstractTracker.requireText("experiment name", experimentName);
        return "";
    }

    @Override
    public TrackedRun startPipelineRun(String experimentName, String pipelineRunId) {
        AbstractTracker.requireText("pipeline run id", pipelineRunId);
        return new NoRun();
    }

    @Override
    public TrackedRun startStageRun(String experimentName, String pipelineRunId, String stage, String runName) {
        AbstractTracker.requireText("pipeline run id", pipelineRunId);
        AbstractTracker.requireText("stage", stage);
        return new NoRun();
    }

    @Override
    public TrackedRun startRun(String experimentName, String runName, Map<String, String> tags) {
        AbstractTracker.requireText("run name", runName);
        return new NoRun();
    }

    @Override
    public void close() {
    }

    /** A run that validates and drops everything. */
    private static final class NoRun implements TrackedRun {
        private volatile boolean ended;

        @Override
        public String runId() {
            return "";
        }

        @Override
        public String experimentId() {
            return "";
        }

        @Override
        public TrackedRun logParams(Map<String, String> params) {
            params.forEach(MlflowLimits::checkParam);
            return this;
        }

        @Override
        public TrackedRun logMetric(String key, double value, long step) {
            MlflowLimits.checkKey("metric", key);
            return this;
        }

        @Override
        public TrackedRun logMetric(String key, double value, long step, long timestampMillis) {
            MlflowLimits.checkKey("metric", key);
            return this;
        }

        @Override
        public TrackedRun setTags(Map<String, String> tags) {
            tags.forEach(MlflowLimits::checkTag);
            return this;
        }

        @Override
        public TrackedRun logArtifact(Path file, String artifactDir) {
            AbstractTracker.normalizeArtifactDir(artifactDir);
            return this;
        }

        @Override
        public void flush() {
        }

        @Override
        public void end(RunStatus status) {
            ended = true;
        }

        @Override
        public boolean isEnded() {
            return ended;
        }

        @Override
        public void close() {
            ended = true;
        }
    }
}
