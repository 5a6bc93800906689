package dev.vlltr.runtime.store;

import java.io.FileNotFoundException;
import java.net.URI;

/** No artifact exists at the URI. */
public class ArtifactNotFoundException extends FileNotFoundException {

    private final URI uri;

    public ArtifactNotFoundException(URI uri) {
        super("artifact not found: " + uri);
        this.uri = uri;
    }

    public URI uri() {
        return uri;
    }
}
