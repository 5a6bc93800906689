package dev.vlltr.runtime.data;

import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Data-set folders given as a URI ({@code s3://bucket/datasets/wordnet}, {@code file:///...}) instead of a local path:
 * their files are fetched through the stage's {@link ArtifactStore} into a local folder (the stage's scratch), so the
 * readers keep working on local files. A plain path is not a URI and is used as it is.
 */
public final class DataFolders {

    private DataFolders() {}

    /** Whether a data-dir parameter value names an object-store location ({@code s3://} or {@code file:}). */
    public static boolean isUri(String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip();
        return v.startsWith("s3://") || v.startsWith("file:") || v.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    }

    /**
     * Fetches the named files under {@code location} into {@code target}; each name may list alternatives
     * ({@code a.gz|a}), the first present is fetched under its own name.
     *
     * @param param names the parameter for error messages
     * @throws BadInputException (exit 2) for a bad URI or a missing object, naming both
     */
    public static Path fetchFiles(ArtifactStore store, String location, String param, Collection<String> names,
            Path target) throws IOException {
        URI base = ArtifactUris.parse(location, "parameter '" + param + "'");
        Files.createDirectories(target);
        for (String name : names) {
            List<String> alternatives = List.of(name.split("\\|"));
            URI found = null;
            String foundName = null;
            for (String alt : alternatives) {
                URI uri = ArtifactUris.resolve(base, alt);
                if (store.exists(uri)) {
                    found = uri;
                    foundName = alt;
                    break;
                }
            }
            if (found == null) {
                throw new BadInputException("parameter '" + param + "'=" + location + ": object "
                        + ArtifactUris.resolve(base, alternatives.get(0)) + " not found"
                        + (alternatives.size() > 1 ? " (nor " + String.join(", ", alternatives.subList(1,
                                alternatives.size())) + ")" : "")
                        + "; upload the data set (orchestration/stack.sh bootstrap-data) or fix the URI");
            }
            fetch(store, found, target.resolve(foundName));
        }
        return target;
    }

    /**
     * Fetches every object directly under {@code location} (not in sub-folders) into {@code target}.
     *
     * @throws BadInputException (exit 2) for a bad URI or when nothing is there
     */
    public static Path fetchFolder(ArtifactStore store, String location, String param, Path target)
            throws IOException {
        URI base = ArtifactUris.asPrefix(ArtifactUris.parse(location, "parameter '" + param + "'"));
        Files.createDirectories(target);
        int n = 0;
        for (ArtifactInfo info : store.list(base)) {
            String rel = ArtifactUris.relativize(base, info.uri());
            if (rel == null || rel.isEmpty() || rel.contains("/")) {
                continue;
            }
            fetch(store, info.uri(), target.resolve(rel));
            n++;
        }
        if (n == 0) {
            throw new BadInputException("parameter '" + param + "'=" + location + ": no objects under " + base
                    + "; upload the data set (orchestration/stack.sh bootstrap-data) or fix the URI");
        }
        return target;
    }

    private static void fetch(ArtifactStore store, URI source, Path file) throws IOException {
        Optional<ArtifactInfo> have = Optional.empty();
        if (Files.isRegularFile(file)) {
            have = store.stat(source);
        }
        if (have.isPresent() && Files.size(file) == have.get().size()
                && dev.vlltr.runtime.store.Sha256.of(file).equals(have.get().sha256())) {
            return; // already fetched (same content)
        }
        store.download(source, file, null);
    }
}
