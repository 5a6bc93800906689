package dev.vlltr.runtime.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs an external tool (a server binary, a Python with MLflow) skips with a clear message when the
 * tool is absent, unless {@code -Dvlltr.requireServers=true} (CI sets it): then the absence is a failure.
 */
public final class RequiredTool {

    private RequiredTool() {}

    public static boolean required() {
        return Boolean.getBoolean("vlltr.requireServers");
    }

    /** Skips (or fails under CI) with {@code message}. */
    public static void missing(String message) {
        if (required()) {
            fail(message + " (vlltr.requireServers=true: CI must provide it; see .ci/run)");
        }
        Assumptions.abort(message);
    }
}
