/**
 * Experiment tracking for the pipeline stages: a {@link dev.vlltr.runtime.tracking.Tracker} logs params, stepped
 * metrics, tags and artifacts to MLflow, either through a tracking server ({@link
 * dev.vlltr.runtime.tracking.MlflowTracker}, no Python needed, artifacts included) or into MLflow's file-store
 * layout on disk ({@link dev.vlltr.runtime.tracking.LocalMlflowStore}) that the {@code mlflow} CLI/UI reads.
 * {@link dev.vlltr.runtime.tracking.TrackerFactory#forUri(String)} picks one from a URI.
 *
 * <p>Pipeline layout: one experiment per pipeline, one parent run per pipeline run id (tag {@code
 * vlltr.pipeline_run_id}) and one nested run per stage (tags {@code mlflow.parentRunId}, {@code vlltr.stage}, {@code
 * vlltr.run_id}).
 */
package dev.vlltr.runtime.tracking;
