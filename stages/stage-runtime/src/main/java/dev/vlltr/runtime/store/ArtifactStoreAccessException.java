package dev.vlltr.runtime.store;

import dev.vlltr.runtime.cli.BadInputException;

/**
 * The store refused us, and asking again will not change its mind: wrong credentials, no permission on the bucket or
 * folder, an unknown endpoint host. A configuration error (exit 2): the message names the endpoint or folder, the
 * object and the cause, so that the operator can fix the setting without reading a stack trace.
 */
public class ArtifactStoreAccessException extends BadInputException {

    public ArtifactStoreAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
