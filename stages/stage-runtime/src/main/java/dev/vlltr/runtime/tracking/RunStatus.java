package dev.vlltr.runtime.tracking;

/** MLflow run states, with the integer codes the file store writes into {@code meta.yaml}. */
public enum RunStatus {
    RUNNING(1),
    SCHEDULED(2),
    FINISHED(3),
    FAILED(4),
    KILLED(5);

    private final int fileStoreCode;

    RunStatus(int fileStoreCode) {
        this.fileStoreCode = fileStoreCode;
    }

    /** The code MLflow's {@code FileStore} persists ({@code mlflow.entities.RunStatus}). */
    public int fileStoreCode() {
        return fileStoreCode;
    }

    /** Inverse of {@link #fileStoreCode()}. */
    public static RunStatus fromFileStoreCode(int code) {
        for (RunStatus s : values()) {
            if (s.fileStoreCode == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown MLflow run status code " + code + " (expected 1..5)");
    }

    /** True once the run can no longer change state. */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
