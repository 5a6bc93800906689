package dev.vlltr.runtime.cli;

/**
 * Bad input or configuration: a missing file, a malformed field, an unknown parameter. Stage apps exit with code 2
 * and print the message, which must name the file or field and say what was expected.
 */
public class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
