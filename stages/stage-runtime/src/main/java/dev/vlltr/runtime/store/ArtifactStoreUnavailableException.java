package dev.vlltr.runtime.store;

import java.io.IOException;

/**
 * The store could not be reached or kept failing with server-side errors after every retry. Retrying the whole stage
 * later may succeed, so stage apps exit 1 (not 2); the message names the endpoint and the object.
 */
public class ArtifactStoreUnavailableException extends IOException {

    public ArtifactStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
