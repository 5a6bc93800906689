package dev.vlltr.runtime.store;

import java.io.IOException;
import java.net.URI;

/** The bytes read or written do not have the SHA-256 they were published or expected with. */
public class ChecksumMismatchException extends IOException {

    private final URI uri;
    private final String expected;
    private final String actual;

    public ChecksumMismatchException(URI uri, String expected, String actual) {
        super("SHA-256 mismatch for " + uri + ": expected " + expected + " but the content hashes to " + actual);
        this.uri = uri;
        this.expected = expected;
        this.actual = actual;
    }

    public URI uri() {
        return uri;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
