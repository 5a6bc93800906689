package dev.vlltr.orchestration;

/** pipeline.yaml is unreadable or malformed; the message names the file and the field and says what was expected. */
public class PipelineSpecException extends IllegalArgumentException {

    public PipelineSpecException(String message) {
        super(message);
    }

    public PipelineSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
