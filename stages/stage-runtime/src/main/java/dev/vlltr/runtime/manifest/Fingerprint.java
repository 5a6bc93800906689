package dev.vlltr.runtime.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vlltr.runtime.store.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memoisation key of a stage execution: SHA-256 of the canonical JSON of its name, its effective parameters and
 * the digests of its inputs. Equal fingerprints mean the stage would compute the same thing again.
 */
public final class Fingerprint {

    private Fingerprint() {}

    public static String of(String stage, Map<String, String> params, Map<String, ArtifactRef> inputs) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("stage", stage);
        canonical.put("params", new TreeMap<>(params));
        Map<String, String> digests = new TreeMap<>();
        inputs.forEach((k, v) -> digests.put(k, v.sha256()));
        canonical.put("inputs", digests);
        try {
            return Sha256.of(Manifests.JSON.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
