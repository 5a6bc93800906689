package dev.vlltr.runtime.manifest;

import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that published artifacts still hold the bytes a manifest recorded: size, then SHA-256 against what the store
 * can tell. What that costs depends on the store (docs/artifacts.md has measurements):
 * <ul>
 *   <li>{@code s3://}: one HEAD request per object; the digest is the {@code x-amz-meta-sha256} recorded at upload
 *       (the upload itself was checked by the server's CRC32C). No bytes move.</li>
 *   <li>{@code file://}: the file is read and hashed (the file store's {@code stat} hashes the content).</li>
 *   <li>an object without a recorded digest (uploaded by another tool): it is streamed and hashed in full.</li>
 * </ul>
 * Nothing is ever accepted on size alone.
 */
public final class ArtifactVerifier {

    private ArtifactVerifier() {}

    /** What is wrong with the artifact {@code ref} points at, or empty when it holds exactly the recorded bytes. */
    public static Optional<String> problem(ArtifactStore store, ArtifactRef ref) throws IOException {
        Optional<ArtifactInfo> stat = store.stat(ref.uri());
        if (stat.isEmpty()) {
            return Optional.of("it is missing");
        }
        if (ref.size() != null && stat.get().size() != ref.size()) {
            return Optional.of("it has " + stat.get().size() + " bytes, the manifest records " + ref.size());
        }
        String actual = stat.get().sha256();
        if (actual == null) {
            // no digest stored with the object: only a full read can prove the content
            try (InputStream in = store.open(ref.uri())) {
                actual = Sha256.of(in);
            }
        }
        if (!actual.equals(ref.sha256())) {
            return Optional.of("its SHA-256 is " + actual + ", the manifest records " + ref.sha256());
        }
        return Optional.empty();
    }

    /** The problems of every artifact in {@code refs}, by name; empty when all are intact. */
    public static Map<String, String> problems(ArtifactStore store, Map<String, ArtifactRef> refs) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ArtifactRef> e : refs.entrySet()) {
            Optional<String> p = problem(store, e.getValue());
            p.ifPresent(s -> out.put(e.getKey(), s));
        }
        return out;
    }
}
