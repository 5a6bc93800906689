package dev.vlltr.registry.search;

/** A filter or sort expression that does not parse; the message names the position and what was expected. */
public class FilterException extends RuntimeException {
    public FilterException(String message) {
        super(message);
    }
}
