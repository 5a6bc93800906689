package dev.vlltr.registry.dto;

/** The name rules shared by the API validation and the database CHECK constraints. */
public final class Patterns {
    public static final String MODEL_NAME = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";
    public static final String TAG_KEY = "^[A-Za-z0-9_.-]{1,250}$";
    public static final String ALIAS = "^[A-Za-z][A-Za-z0-9_-]{0,63}$";
    public static final String METRIC = "^[A-Za-z][A-Za-z0-9_.-]{0,63}$";
    public static final String ARTIFACT_NAME = "^[A-Za-z0-9_.-]{1,128}$";
    public static final String SHA256 = "^[0-9a-f]{64}$";
    public static final String MLFLOW_RUN_ID = "^[A-Za-z0-9_-]{1,64}$";
    public static final String KEY_NAME = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
    public static final String SHOT_SPLIT = "^(many|medium|few)$";
    public static final String STAGE = "^(None|Staging|Production|Archived)$";
    public static final String ROLE = "^(reader|writer|admin)$";

    private Patterns() {}
}
