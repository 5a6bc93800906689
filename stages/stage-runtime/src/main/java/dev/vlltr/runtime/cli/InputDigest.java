package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.store.ArtifactStore;
import java.io.IOException;
import java.net.URI;

/**
 * Computes the reference (URI and digest) an input contributes to the run fingerprint, for inputs whose meaning is
 * more than their own bytes: a dataset spec names class and list files that change the data without changing the
 * spec. Runs before the stage, so a bad input fails here with exit 2 ({@link BadInputException}).
 */
@FunctionalInterface
public interface InputDigest {

    ArtifactRef describe(ArtifactStore store, URI uri) throws IOException;
}
