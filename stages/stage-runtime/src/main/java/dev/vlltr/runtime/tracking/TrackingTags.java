package dev.vlltr.runtime.tracking;

/** Tag keys written by the trackers: MLflow's system tags and the pipeline's own. */
public final class TrackingTags {
    /** MLflow: display name of a run. */
    public static final String RUN_NAME = "mlflow.runName";
    /** MLflow: makes the UI nest a run under its parent. */
    public static final String PARENT_RUN_ID = "mlflow.parentRunId";
    /** MLflow: who ran it. */
    public static final String USER = "mlflow.user";
    /** MLflow: what ran it (the Java main class or a name given to the tracker). */
    public static final String SOURCE_NAME = "mlflow.source.name";
    /** MLflow: kind of source; always {@code LOCAL} here, as Python's client writes it. */
    public static final String SOURCE_TYPE = "mlflow.source.type";

    /**
     * Pipeline run id (Airflow run id or local runner id) on the parent run only: the parent is found by it, so stage
     * runs carry {@link #RUN_ID} instead.
     */
    public static final String PIPELINE_RUN_ID = "vlltr.pipeline_run_id";
    /** Alias of the pipeline run id on stage runs, as the stage contract calls it ({@code --run-id}). */
    public static final String RUN_ID = "vlltr.run_id";
    /** Stage name on a stage run. */
    public static final String STAGE = "vlltr.stage";
    /** Random token of one create call: finds duplicates the HTTP client's retries may have made. */
    public static final String CREATE_TOKEN = "vlltr.create_token";

    private TrackingTags() {
    }
}
