package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.util.UUID;

/**
 * Proves, before a stage spends an hour training, that its results can be written: a tiny probe object is put at the
 * artifact root and removed again (at the root, not in the stage folder, so that a stage that then fails leaves no
 * folder behind). An unwritable folder, a read-only bucket or refused credentials are then bad
 * configuration (exit 2) reported up front with their cause, not an "artifact not found" after the work is lost.
 */
final class WritableRoot {

    private WritableRoot() {}

    static void require(ArtifactStore store, URI artifactRoot) throws IOException {
        // hidden and '.partial': never listed as an artifact, even if a kill orphans it between the two calls
        URI probe = ArtifactUris.resolve(ArtifactUris.asPrefix(artifactRoot),
                ".vlltr-write-probe-" + UUID.randomUUID() + ".partial");
        try {
            store.put("probe".getBytes(StandardCharsets.UTF_8), probe);
            store.delete(probe);
        } catch (BadInputException e) {
            throw new BadInputException("--artifact-root " + artifactRoot + ": cannot write there: "
                    + e.getMessage(), e);
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason()
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
            throw new BadInputException("--artifact-root " + artifactRoot + ": cannot write there: "
                    + reason + " (" + e.getFile() + ")", e);
        }
    }
}
