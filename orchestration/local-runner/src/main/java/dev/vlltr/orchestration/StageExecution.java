package dev.vlltr.orchestration;

import java.net.URI;
import java.util.List;

/**
 * One stage execution of a planned run: the stage, its fan-out value (null when it does not fan out), its command-line
 * arguments under the stage contract, and where its manifest will be.
 */
public record StageExecution(String stage, String fanValue, List<String> arguments, URI manifest) {

    public StageExecution {
        arguments = List.copyOf(arguments);
    }

    /** {@code cvlp}, or {@code recalibration[tau]} for a fanned-out execution. */
    public String id() {
        return fanValue == null ? stage : stage + "[" + fanValue + "]";
    }
}
