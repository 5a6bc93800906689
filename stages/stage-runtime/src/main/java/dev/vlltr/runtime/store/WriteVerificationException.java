package dev.vlltr.runtime.store;

import java.net.URI;

/**
 * What the store holds after a write is not what was written (the read-back or the server's digest disagrees). Unlike
 * a mismatch on reading, which means an artifact was changed behind the manifest's back (bad input, exit 2), this is
 * a failure of the write path (a disk or network fault) that retrying may cure: stage apps exit 1.
 */
public class WriteVerificationException extends ChecksumMismatchException {

    public WriteVerificationException(URI uri, String written, String stored) {
        super(uri, written, stored);
    }
}
