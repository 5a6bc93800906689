package dev.vlltr.core.dataset;

/**
 * Bad dataset input: a spec, a list, a class file or an image that does not match what the spec promises. The message
 * names the file, the line (or entry) and the field and says what was expected. Command layers map it to exit code 2.
 */
public class DatasetSpecException extends IllegalArgumentException {

    public DatasetSpecException(String message) {
        super(message);
    }

    public DatasetSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
